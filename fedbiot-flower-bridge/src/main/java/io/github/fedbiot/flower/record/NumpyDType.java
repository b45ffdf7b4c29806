/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.Locale;

/**
 * The NumPy dtypes an {@link Array} may carry: Flower's {@code Array.dtype} is the NumPy name ({@code "float32"}),
 * the {@code .npy} header holds the type string ({@code "<f4"}).
 */
public enum NumpyDType {
    /** IEEE half precision. */
    FLOAT16("float16", "<f2", 2),
    /** IEEE single precision. */
    FLOAT32("float32", "<f4", 4),
    /** IEEE double precision. */
    FLOAT64("float64", "<f8", 8),
    /** Signed 8-bit integer. */
    INT8("int8", "|i1", 1),
    /** Signed 16-bit integer. */
    INT16("int16", "<i2", 2),
    /** Signed 32-bit integer. */
    INT32("int32", "<i4", 4),
    /** Signed 64-bit integer. */
    INT64("int64", "<i8", 8),
    /** Unsigned 8-bit integer. */
    UINT8("uint8", "|u1", 1),
    /** Boolean, one byte each. */
    BOOL("bool", "|b1", 1);

    private final String numpyName;
    private final String descr;
    private final int itemSize;

    NumpyDType(String numpyName, String descr, int itemSize) {
        this.numpyName = numpyName;
        this.descr = descr;
        this.itemSize = itemSize;
    }

    /** Returns the NumPy name, e.g. {@code float32}. @return the name Flower puts in {@code Array.dtype} */
    public String numpyName() {
        return numpyName;
    }

    /** Returns the little-endian {@code .npy} type string, e.g. {@code <f4}. @return the descr */
    public String descr() {
        return descr;
    }

    /** Returns the bytes per element. @return the item size */
    public int itemSize() {
        return itemSize;
    }

    /** Returns whether this is a floating-point type. @return true for float16/32/64 */
    public boolean isFloatingPoint() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /**
     * Returns the dtype with a NumPy name.
     *
     * @param name e.g. {@code float32}
     * @return the dtype
     * @throws RecordException if the name is not supported
     */
    public static NumpyDType fromNumpyName(String name) {
        for (NumpyDType d : values()) {
            if (d.numpyName.equals(name)) {
                return d;
            }
        }
        throw new RecordException("unsupported array dtype '" + name + "'; supported: " + supported());
    }

    /**
     * Returns the dtype with an {@code .npy} type string; {@code =} and {@code |} byte orders are read as little
     * endian, big endian ({@code >}) is rejected.
     *
     * @param descr e.g. {@code <f4}
     * @return the dtype
     * @throws RecordException if the type string is not supported
     */
    public static NumpyDType fromDescr(String descr) {
        if (descr.length() >= 2) {
            char order = descr.charAt(0);
            String kind = descr.substring(1);
            if (order == '<' || order == '|' || order == '=') {
                for (NumpyDType d : values()) {
                    if (d.descr.substring(1).equals(kind)) {
                        return d;
                    }
                }
            }
        }
        throw new RecordException("unsupported .npy dtype '" + descr + "' (only little-endian " + supported() + ")");
    }

    private static String supported() {
        StringBuilder sb = new StringBuilder();
        for (NumpyDType d : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.numpyName.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}

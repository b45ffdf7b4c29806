/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpyTest {
    /** {@code np.save(b, np.arange(6, dtype=np.float32).reshape(2, 3))} with numpy 2.3.5. */
    private static final String NUMPY_F32_2X3 = "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
            + "652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020"
            + "202020202020202020202020202020202020202020202020202020202020200a000000000000803f0000004000004040"
            + "000080400000a040";

    @Test
    void writesWhatNumpyWrites() {
        byte[] ours = Array.fromTensor(new Tensor(new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5})).npyBytes();
        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(NUMPY_F32_2X3);
    }

    @Test
    void arrayFromPartsCopiesThemOnceAndViewsDoNotCopy() {
        byte[] npy = HexFormat.of().parseHex(NUMPY_F32_2X3);
        ByteBuffer a = ByteBuffer.wrap(npy, 0, 50);
        ByteBuffer b = ByteBuffer.wrap(npy, 50, npy.length - 50);
        Array arr = Array.fromParts("float32", new int[] {2, 3}, Array.STYPE_NUMPY, List.of(a, b));
        assertThat(a.position()).isZero();
        assertThat(b.position()).isEqualTo(50);
        assertThat(arr).isEqualTo(Array.of("float32", new int[] {2, 3}, Array.STYPE_NUMPY, npy));
        npy[npy.length - 1] = 0;
        assertThat(arr.toTensor().data()).containsExactly(0, 1, 2, 3, 4, 5);
        ByteBuffer view = arr.npyView();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.remaining()).isEqualTo(arr.byteSize());
        byte[] viewed = new byte[view.remaining()];
        view.get(viewed);
        assertThat(viewed).isEqualTo(arr.npyBytes());
        assertThatThrownBy(() -> Array.fromParts("float32", new int[] {2, 2}, Array.STYPE_NUMPY, List.of(a, b)))
                .isInstanceOf(RecordException.class).hasMessageContaining("shape");
    }

    @Test
    void roundTripsNamedTensors() {
        NamedTensors t = NamedTensors.builder().add("a", new Tensor(new int[] {3}, new float[] {1, -2, 3.5f}))
                .add("b", new Tensor(new int[] {}, new float[] {4})).build();
        assertThat(ArrayRecord.fromNamedTensors(t).toNamedTensors().maxAbsDiff(t)).isZero();
    }

    @Test
    void convertsFloat16AndFloat64() {
        Tensor t = new Tensor(new int[] {2}, new float[] {0.5f, -3f});
        assertThat(Array.fromTensor(t, NumpyDType.FLOAT16).toTensor().data()).containsExactly(0.5f, -3f);
        assertThat(Array.fromTensor(t, NumpyDType.FLOAT64).toDoubles()).containsExactly(0.5, -3.0);
    }

    @Test
    void rejectsShapeMismatch() {
        byte[] npy = Array.fromLongs(new long[] {1, 2, 3, 4}, 2, 2).npyBytes();
        assertThatThrownBy(() -> Array.of("int64", new int[] {4}, "numpy.ndarray", npy))
                .isInstanceOf(RecordException.class).hasMessageContaining("declares shape [4]")
                .hasMessageContaining("[2, 2]");
    }

    @Test
    void rejectsUnknownDtypeAndStype() {
        byte[] npy = Array.fromLongs(new long[] {1}, 1).npyBytes();
        assertThatThrownBy(() -> Array.of("complex128", new int[] {1}, "numpy.ndarray", npy))
                .isInstanceOf(RecordException.class).hasMessageContaining("unsupported array dtype 'complex128'");
        assertThatThrownBy(() -> Array.of("int64", new int[] {1}, "torch", npy))
                .isInstanceOf(RecordException.class).hasMessageContaining("unsupported array stype 'torch'");
    }

    @Test
    void rejectsTruncatedDataAndPickles() {
        byte[] npy = Array.fromLongs(new long[] {1, 2}, 2).npyBytes();
        byte[] cut = java.util.Arrays.copyOf(npy, npy.length - 3);
        assertThatThrownBy(() -> Npy.read(cut)).isInstanceOf(RecordException.class).hasMessageContaining("needs 16 bytes");
        byte[] obj = new String(npy, StandardCharsets.ISO_8859_1).replace("<i8", "|O8")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Npy.read(obj)).isInstanceOf(RecordException.class)
                .hasMessageContaining("unsupported .npy dtype '|O8'");
    }

    @Test
    void intArrayIsNotATensor() {
        Array a = Array.fromLongs(new long[] {1}, 1);
        ArrayRecord r = ArrayRecord.builder().add("ids", a).build();
        assertThatThrownBy(r::toNamedTensors).isInstanceOf(RecordException.class)
                .hasMessageContaining("array 'ids'").hasMessageContaining("int64");
    }

    @Test
    void metricRecordRejectsStrings() {
        assertThatThrownBy(() -> MetricRecord.builder().put("name", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MetricRecord 'name'");
        assertThat(MetricRecord.builder().put("n", 3).put("f", 0.5f).build().asMap())
                .containsEntry("n", 3L).containsEntry("f", 0.5);
    }
}

/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import com.google.protobuf.ByteString;
import io.github.fedbiot.flower.proto.BoolList;
import io.github.fedbiot.flower.proto.BytesList;
import io.github.fedbiot.flower.proto.ConfigRecordValue;
import io.github.fedbiot.flower.proto.DoubleList;
import io.github.fedbiot.flower.proto.MetricRecordValue;
import io.github.fedbiot.flower.proto.SintList;
import io.github.fedbiot.flower.proto.StringList;
import io.github.fedbiot.flower.proto.UintList;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.MessageError;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.RecordException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts records and metadata to and from Flower's protobuf messages, as {@code flwr.common.serde} does:
 * integers become {@code sint64} (lists {@code SintList}), floats {@code double}.
 */
public final class RecordProtos {
    private RecordProtos() {}

    /**
     * Converts a MetricRecord to its protobuf form.
     *
     * @param record the record
     * @return the proto
     */
    public static io.github.fedbiot.flower.proto.MetricRecord toProto(MetricRecord record) {
        var b = io.github.fedbiot.flower.proto.MetricRecord.newBuilder();
        for (Map.Entry<String, Object> e : record.asMap().entrySet()) {
            MetricRecordValue.Builder v = MetricRecordValue.newBuilder();
            Object x = e.getValue();
            if (x instanceof Long l) {
                v.setSint64(l);
            } else if (x instanceof BigInteger u) {
                v.setUint64(u.longValue());
            } else if (x instanceof Double d) {
                v.setDouble(d);
            } else if (x instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof Double)) {
                v.setDoubleList(DoubleList.newBuilder().addAllVals(cast(list)));
            } else if (((List<?>) x).get(0) instanceof BigInteger) {
                v.setUintList(uintList((List<?>) x));
            } else {
                v.setSintList(SintList.newBuilder().addAllVals(cast((List<?>) x)));
            }
            b.addItems(io.github.fedbiot.flower.proto.MetricRecord.Item.newBuilder().setKey(e.getKey()).setValue(v));
        }
        return b.build();
    }

    /**
     * Converts a ConfigRecord to its protobuf form.
     *
     * @param record the record
     * @return the proto
     */
    public static io.github.fedbiot.flower.proto.ConfigRecord toProto(ConfigRecord record) {
        var b = io.github.fedbiot.flower.proto.ConfigRecord.newBuilder();
        for (Map.Entry<String, Object> e : record.asMap().entrySet()) {
            ConfigRecordValue.Builder v = ConfigRecordValue.newBuilder();
            Object x = e.getValue();
            if (x instanceof Long l) {
                v.setSint64(l);
            } else if (x instanceof BigInteger u) {
                v.setUint64(u.longValue());
            } else if (x instanceof Double d) {
                v.setDouble(d);
            } else if (x instanceof Boolean z) {
                v.setBool(z);
            } else if (x instanceof String s) {
                v.setString(s);
            } else if (x instanceof byte[] y) {
                v.setBytes(ByteString.copyFrom(y));
            } else {
                List<?> list = (List<?>) x;
                Object first = list.isEmpty() ? Boolean.FALSE : list.get(0); // flwr: an empty list is a BoolList
                if (first instanceof Long) {
                    v.setSintList(SintList.newBuilder().addAllVals(cast(list)));
                } else if (first instanceof BigInteger) {
                    v.setUintList(uintList(list));
                } else if (first instanceof Double) {
                    v.setDoubleList(DoubleList.newBuilder().addAllVals(cast(list)));
                } else if (first instanceof Boolean) {
                    v.setBoolList(BoolList.newBuilder().addAllVals(cast(list)));
                } else if (first instanceof String) {
                    v.setStringList(StringList.newBuilder().addAllVals(cast(list)));
                } else {
                    BytesList.Builder bl = BytesList.newBuilder();
                    list.forEach(o -> bl.addVals(ByteString.copyFrom((byte[]) o)));
                    v.setBytesList(bl);
                }
            }
            b.addItems(io.github.fedbiot.flower.proto.ConfigRecord.Item.newBuilder().setKey(e.getKey()).setValue(v));
        }
        return b.build();
    }

    /**
     * Converts a protobuf MetricRecord.
     *
     * @param proto the proto
     * @return the record
     * @throws RecordException if a value is unset or out of range
     */
    public static MetricRecord fromProto(io.github.fedbiot.flower.proto.MetricRecord proto) {
        MetricRecord.Builder b = MetricRecord.builder();
        for (var item : proto.getItemsList()) {
            MetricRecordValue v = item.getValue();
            Object x = switch (v.getValueCase()) {
                case DOUBLE -> v.getDouble();
                case SINT64 -> v.getSint64();
                case UINT64 -> uint(v.getUint64(), item.getKey());
                case DOUBLE_LIST -> v.getDoubleList().getValsList();
                case SINT_LIST -> v.getSintList().getValsList();
                case UINT_LIST -> uints(v.getUintList().getValsList(), item.getKey());
                case VALUE_NOT_SET -> throw new RecordException("MetricRecord '" + item.getKey() + "' has no value");
            };
            put(b::put, item.getKey(), x, "MetricRecord");
        }
        return b.build();
    }

    /**
     * Converts a protobuf ConfigRecord.
     *
     * @param proto the proto
     * @return the record
     * @throws RecordException if a value is unset or out of range
     */
    public static ConfigRecord fromProto(io.github.fedbiot.flower.proto.ConfigRecord proto) {
        ConfigRecord.Builder b = ConfigRecord.builder();
        for (var item : proto.getItemsList()) {
            ConfigRecordValue v = item.getValue();
            Object x = switch (v.getValueCase()) {
                case DOUBLE -> v.getDouble();
                case SINT64 -> v.getSint64();
                case UINT64 -> uint(v.getUint64(), item.getKey());
                case BOOL -> v.getBool();
                case STRING -> v.getString();
                case BYTES -> v.getBytes().toByteArray();
                case DOUBLE_LIST -> v.getDoubleList().getValsList();
                case SINT_LIST -> v.getSintList().getValsList();
                case UINT_LIST -> uints(v.getUintList().getValsList(), item.getKey());
                case BOOL_LIST -> v.getBoolList().getValsList();
                case STRING_LIST -> v.getStringList().getValsList();
                case BYTES_LIST -> v.getBytesList().getValsList().stream().map(ByteString::toByteArray).toList();
                case VALUE_NOT_SET -> throw new RecordException("ConfigRecord '" + item.getKey() + "' has no value");
            };
            put(b::put, item.getKey(), x, "ConfigRecord");
        }
        return b.build();
    }

    private interface Putter {
        void put(String key, Object value);
    }

    private static void put(Putter p, String key, Object value, String kind) {
        try {
            p.put(key, value);
        } catch (IllegalArgumentException e) {
            throw new RecordException(kind + " entry rejected: " + e.getMessage(), e);
        }
    }

    /** A uint64 above Long.MAX_VALUE (Flower's node ids often are) becomes a BigInteger; smaller ones a Long. */
    private static Object uint(long v, String key) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }

    /** As {@link #uint}, for a whole list: all Long, or all BigInteger if one does not fit a long. */
    private static List<?> uints(List<Long> vals, String key) {
        if (vals.stream().allMatch(v -> v >= 0)) {
            return new ArrayList<>(vals);
        }
        List<BigInteger> out = new ArrayList<>(vals.size());
        for (long v : vals) {
            out.add(new BigInteger(Long.toUnsignedString(v)));
        }
        return out;
    }

    private static UintList uintList(List<?> list) {
        UintList.Builder u = UintList.newBuilder();
        list.forEach(o -> u.addVals(((BigInteger) o).longValue()));
        return u.build();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<?> list) {
        return (List<T>) list;
    }

    /**
     * Converts metadata to its protobuf form.
     *
     * @param m the metadata
     * @return the proto
     */
    public static io.github.fedbiot.flower.proto.Metadata toProto(Metadata m) {
        return io.github.fedbiot.flower.proto.Metadata.newBuilder()
                .setRunId(m.runId())
                .setMessageId(m.messageId())
                .setSrcNodeId(m.srcNodeId())
                .setDstNodeId(m.dstNodeId())
                .setReplyToMessageId(m.replyToMessageId())
                .setGroupId(m.groupId())
                .setTtl(m.ttl())
                .setMessageType(m.messageType())
                .setCreatedAt(m.createdAt())
                .build();
    }

    /**
     * Converts protobuf metadata.
     *
     * @param p the proto
     * @return the metadata
     */
    public static Metadata fromProto(io.github.fedbiot.flower.proto.Metadata p) {
        return new Metadata(p.getRunId(), p.getMessageId(), p.getSrcNodeId(), p.getDstNodeId(),
                p.getReplyToMessageId(), p.getGroupId(), p.getTtl(), p.getMessageType(), p.getCreatedAt());
    }

    /**
     * Converts an error to its protobuf form.
     *
     * @param e the error
     * @return the proto
     */
    public static io.github.fedbiot.flower.proto.Error toProto(MessageError e) {
        return io.github.fedbiot.flower.proto.Error.newBuilder().setCode(e.code()).setReason(e.reason()).build();
    }
}

/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.Npy;
import io.github.fedbiot.flower.record.NumpyDType;
import io.github.fedbiot.flower.proto.ConfigRecordValue;
import io.github.fedbiot.flower.proto.UintList;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values that Flower's legacy workflows and SecAgg+ send: node ids above {@code Long.MAX_VALUE} (uint64 and
 * UintList, kept as BigInteger and sent back as uint64) and legacy {@code Parameters} arrays whose dtype and shape
 * are blank (taken from the {@code .npy} header).
 */
class LegacyRecordValuesTest {
    private static final BigInteger BIG = new BigInteger("16653556333910062403");

    @Test
    void uint64NodeIdsRoundTrip() {
        var proto = io.github.fedbiot.flower.proto.ConfigRecord.newBuilder()
                .addItems(io.github.fedbiot.flower.proto.ConfigRecord.Item.newBuilder().setKey("nids")
                        .setValue(ConfigRecordValue.newBuilder().setUintList(UintList.newBuilder()
                                .addVals(7).addVals(BIG.longValue()))))
                .addItems(io.github.fedbiot.flower.proto.ConfigRecord.Item.newBuilder().setKey("small")
                        .setValue(ConfigRecordValue.newBuilder().setUintList(UintList.newBuilder().addVals(3))))
                .addItems(io.github.fedbiot.flower.proto.ConfigRecord.Item.newBuilder().setKey("one")
                        .setValue(ConfigRecordValue.newBuilder().setUint64(BIG.longValue())))
                .build();
        ConfigRecord r = RecordProtos.fromProto(proto);
        assertThat(r.get("nids")).isEqualTo(List.of(BigInteger.valueOf(7), BIG));
        assertThat(r.get("small")).isEqualTo(List.of(3L));
        assertThat(r.get("one")).isEqualTo(BIG);
        var back = RecordProtos.toProto(r);
        assertThat(back.getItems(0).getValue().getUintList().getValsList()).containsExactly(7L, BIG.longValue());
        assertThat(back.getItems(2).getValue().getUint64()).isEqualTo(BIG.longValue());
        assertThat(RecordProtos.toProto(MetricRecord.of(java.util.Map.of("id", BIG))).getItems(0).getValue()
                .getUint64()).isEqualTo(BIG.longValue());
    }

    @Test
    void legacyParametersArraysTakeDtypeAndShapeFromTheNpyHeader() {
        byte[] npy = Npy.write(NumpyDType.FLOAT32, new int[] {2, 3}, new byte[24]);
        Array a = Array.of("", new int[0], Array.STYPE_NUMPY, npy);
        assertThat(a.dtype()).isEqualTo(NumpyDType.FLOAT32);
        assertThat(a.shape()).containsExactly(2, 3);
        Array.Assembler asm = Array.assembler("", new int[0], Array.STYPE_NUMPY,
                Npy.readHeader(ByteBuffer.wrap(npy), true));
        asm.put(ByteBuffer.wrap(npy));
        Array b = asm.build();
        assertThat(b.shape()).containsExactly(2, 3);
    }
}

/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeedStreamTest {

    /** Seeds derived with the label strings before the streams were typed (root seed 7). */
    static Stream<Arguments> recorded() {
        return Stream.of(
                Arguments.of(SeedStream.PARTITION, "partition", -4814367153802386051L, 2848813745759080218L, -5652340661740236552L),
                Arguments.of(SeedStream.SPLIT, "split", -7150454294856192499L, -9117226435622671344L, 6940231091004537112L),
                Arguments.of(SeedStream.TEST_PARTITION, "test-partition", 6002785346918641221L, 6898578524871852946L, -8855722362202783968L),
                Arguments.of(SeedStream.ADAPTER_INIT, "adapter-init", 6218508519724838774L, -6320671870564054433L, -8422980284609243453L),
                Arguments.of(SeedStream.EMULATOR_INIT, "emulator-init", -6855821977260031475L, 6342478454174101353L, -8173760359616753728L),
                Arguments.of(SeedStream.PUBLIC_DATA, "public-data", -3201092108215129213L, -5415361824867797320L, 1773053959415545446L),
                Arguments.of(SeedStream.CLIENT_DATA, "client-data", 2148481618860189807L, 1227545970910035309L, 5665570830497384872L),
                Arguments.of(SeedStream.ALIGN, "align", 3559092469066363781L, -2325764705244238108L, -1226244881301979725L),
                Arguments.of(SeedStream.PRE_ALIGN_BLOCK, "pre-align-block", 3696232688107189107L, 5424164400392017L, 7296298802621133072L),
                Arguments.of(SeedStream.CLIENT_TRAIN, "client-train", -5462637046367018701L, -5362704606814106215L, -753768652594150631L),
                Arguments.of(SeedStream.SAMPLING, "sampling", -2621955180062641243L, 5202073515848710049L, -2630903988883024369L),
                Arguments.of(SeedStream.DROPOUT, "dropout", 6876136150972538756L, -5340232987425202481L, 9145177798006288677L));
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void derivesWhatTheLabelsDerived(SeedStream stream, String label, long plain, long round3, long client01Round2) {
        assertThat(stream.label()).isEqualTo(label);
        assertThat(stream.derive(7)).isEqualTo(plain);
        assertThat(stream.derive(7, 3)).isEqualTo(round3);
        assertThat(stream.forClient(7, "client-01", 2)).isEqualTo(client01Round2);
    }

    @Test
    void everyStreamHasARecordedValue() {
        assertThat(recorded().count()).isEqualTo(SeedStream.values().length);
    }
}

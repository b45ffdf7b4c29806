/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerExtractorTest {

    @Test
    void takesTheFirstNumberAfterTheTrigger() {
        assertThat(AnswerExtractor.extract("3 + 4 = 7. The answer is 7. Then 12 more.")).contains("7");
        assertThat(AnswerExtractor.extract("The answer is $1,250.00 in total, not 3")).contains("1250");
        assertThat(AnswerExtractor.extract("The answer is -4.")).contains("-4");
    }

    @Test
    void fallsBackToTheLastNumber() {
        assertThat(AnswerExtractor.extract("first 3 then 8 and finally 15.")).contains("15");
        assertThat(AnswerExtractor.extract("The answer is unknown, maybe 9")).contains("9");
        assertThat(AnswerExtractor.extract("no digits at all")).isEmpty();
    }

    @Test
    void normalisesNumbers() {
        assertThat(AnswerExtractor.extract("The answer is 10.0")).contains("10");
        assertThat(AnswerExtractor.extract("The answer is 0.50")).contains("0.5");
        assertThat(AnswerExtractor.extract("The answer is 0.0")).contains("0");
    }

    @Test
    void exactMatchComparesExtractedAnswers() {
        assertThat(AnswerExtractor.exactMatch("So she has 72. The answer is 72.", "blah\nThe answer is 72")).isTrue();
        assertThat(AnswerExtractor.exactMatch("The answer is 71", "The answer is 72")).isFalse();
        assertThat(AnswerExtractor.exactMatch("The answer is 1,000", "#### 1000 total 1000")).isTrue();
        assertThat(AnswerExtractor.exactMatch("no number", "The answer is 5")).isFalse();
        assertThat(AnswerExtractor.exactMatch("5", "no number")).isFalse();
    }
}

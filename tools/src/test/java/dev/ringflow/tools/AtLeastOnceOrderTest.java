package dev.ringflow.tools;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AtLeastOnceOrderTest
{
    private static final List<String> EXPECTED = List.of("1", "2", "3", "4", "5", "6", "7");

    @Test
    void shouldAcceptStretchesRepeatedAfterCrashesEvenBackToBack()
    {
        assertThat(check(List.of("1", "2", "3", "4", "5", "6", "7"))).isNull();
        assertThat(check(List.of("1", "2", "3", "4", "3", "4", "3", "4", "5", "6", "7"))).isNull();
        assertThat(check(List.of("1", "2", "3", "1", "2", "3", "4", "5", "6", "5", "6", "7"))).isNull();
    }

    @Test
    void shouldRejectAGapAWrongValueAndAMissingEnd()
    {
        assertThat(check(List.of("1", "2", "4", "5", "6", "7"))).contains("output #2 (4)");
        assertThat(check(List.of("1", "2", "3", "9", "5", "6", "7"))).contains("output #3 (9)");
        assertThat(check(List.of("1", "2", "3", "4", "5", "6"))).contains("ends before the last expected output");
    }

    private static String check(final List<String> actual)
    {
        return AtLeastOnceOrder.firstProblem(Map.of("k", EXPECTED), Map.of("k", actual));
    }
}

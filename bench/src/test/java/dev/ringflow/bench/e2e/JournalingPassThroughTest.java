package dev.ringflow.bench.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exactly-once loop that journals its input ({@code eos-journal}): named on the command line, a baseline that
 * forwards the input (not the sliding sum), and only ever in transactions.
 */
class JournalingPassThroughTest
{
    @Test
    void shouldBeABaselineThatForwardsTheInput()
    {
        assertThat(Scenario.parseList("eos,eos-journal")).containsExactly(Scenario.EOS, Scenario.EOS_JOURNAL);
        assertThat(Scenario.EOS_JOURNAL.isRingflow()).isFalse();
        assertThat(Scenario.EOS_JOURNAL.computesSlidingSum()).isFalse();
        assertThat(Scenario.DEFAULTS).doesNotContain(Scenario.EOS_JOURNAL);
    }

    @Test
    void shouldRefuseAJournalWithoutTransactions()
    {
        assertThatThrownBy(() -> PassThroughMain.main(new String[] { "--pipeline", "no-such.yaml",
            "--bootstrap-servers", "localhost:1", "--journal", "no-such-dir" }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--journal DIR goes with --exactly-once");
    }
}

package gpu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentTimingTest {

    @Test
    void theAgentSendsInTheMiddleOfTheServersNextInterval() {
        Duration interval = Duration.ofSeconds(30);
        assertThat(AgentCommand.untilNextMiddle(Instant.parse("2026-01-01T00:00:00Z"), interval)).isEqualTo(Duration.ofSeconds(15));
        assertThat(AgentCommand.untilNextMiddle(Instant.parse("2026-01-01T00:00:10Z"), interval)).isEqualTo(Duration.ofSeconds(5));
        assertThat(AgentCommand.untilNextMiddle(Instant.parse("2026-01-01T00:00:15Z"), interval)).isEqualTo(Duration.ofSeconds(30));
        assertThat(AgentCommand.untilNextMiddle(Instant.parse("2026-01-01T00:00:20Z"), interval)).isEqualTo(Duration.ofSeconds(25));
    }
}

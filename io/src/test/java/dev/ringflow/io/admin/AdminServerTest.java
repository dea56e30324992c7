package dev.ringflow.io.admin;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.InMemorySink;
import dev.ringflow.engine.InMemorySource;
import dev.ringflow.engine.PipelinePaths;
import dev.ringflow.engine.pipeline.PipelineFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin endpoint over real HTTP in front of a running engine: a change applies and is reported, an invalid one
 * is answered 400 with the file's line, tokens are required when set, other methods and huge bodies are refused, a
 * non-loopback bind needs a token, and the URL file comes and goes with the server.
 */
@Timeout(60)
class AdminServerTest
{
    private static final String PIPELINE = "name: t\n" +
        "source: {topics: [in], format: json}\n" +
        "tasks:\n" +
        "  - {type: filter, where: \"amount > 100\"}\n" +
        "sink: {topic: out}\n";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Engine engine;
    private AdminServer admin;

    @BeforeEach
    void startEngine()
    {
        engine = Engine.start(PipelineFile.parse(PIPELINE, "t.yaml", "t"), new InMemorySource(), new InMemorySink());
    }

    @AfterEach
    void stop()
    {
        if (null != admin)
        {
            admin.close();
        }
        engine.close();
    }

    @Test
    void shouldApplyAValidChangeAndRefuseAnInvalidOne() throws Exception
    {
        admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, engine, dir,
            PipelinePaths.NONE);
        assertThat(Files.readString(dir.resolve(AdminServer.URL_FILE)).strip()).isEqualTo(admin.url());

        final HttpResponse<String> applied = post(PIPELINE.replace("100", "50"), null);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(applied.body()).startsWith("applied: ");

        final HttpResponse<String> invalid = post(PIPELINE.replace("amount > 100", "amount >"), null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("v2.yaml:4");

        final HttpResponse<String> otherSink = post(PIPELINE.replace("topic: out", "topic: elsewhere"), null);
        assertThat(otherSink.statusCode()).isEqualTo(400);
        assertThat(otherSink.body()).contains("the sink cannot change at runtime");

        final HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(admin.url() + "/pipeline"))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        final HttpResponse<String> huge = post("#".repeat(AdminServer.MAX_BODY_BYTES + 1), null);
        assertThat(huge.statusCode()).isEqualTo(413);

        admin.close();
        admin = null;
        assertThat(dir.resolve(AdminServer.URL_FILE)).doesNotExist();
    }

    @Test
    void shouldRequireTheTokenWhenOneIsSet() throws Exception
    {
        admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "s3cret", engine, null,
            PipelinePaths.NONE);
        assertThat(post(PIPELINE, null).statusCode()).isEqualTo(401);
        assertThat(post(PIPELINE, "wrong").statusCode()).isEqualTo(401);
        assertThat(post(PIPELINE, "s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseANonLoopbackBindWithoutAToken()
    {
        assertThatThrownBy(() -> AdminServer.start(new InetSocketAddress("0.0.0.0", 0), null, engine, null,
            PipelinePaths.NONE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--admin-token-file");
    }

    private HttpResponse<String> post(final String body, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(admin.url() + "/pipeline"))
            .header("X-Ringflow-File", "v2.yaml")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (null != token)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

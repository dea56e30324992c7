package dev.ringflow.tools;

import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.io.admin.AdminServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ringflow pipeline apply}: changes the tasks of a running daemon without a restart.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "Change a running daemon's pipeline.",
    subcommands = { PipelineCommand.Apply.class, CommandLine.HelpCommand.class })
final class PipelineCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.err);
    }

    @Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a pipeline file to a running daemon, which switches to its tasks at one point of the stream: " +
                "every event is processed wholly by the old or wholly by the new tasks. Tasks whose definition did " +
                "not change keep their state (windows, features); new or changed ones start empty, and the answer " +
                "says which. The change is journaled, so 'ringflow replay' switches at the same event.",
            "Only the tasks change: the file's source, sink and name must be the running pipeline's (its engine, " +
                "journal and kafka settings take effect at the next start). An invalid file is refused with the " +
                "same errors as at start, and the running pipeline goes on untouched.",
            "" },
        footer = {
            "",
            "Example:",
            "  ringflow pipeline apply --journal-dir /var/lib/ringflow/cards examples/card-features.yaml",
            "",
            "Exit codes: 0 applied, 1 the daemon cannot be reached or did not apply it, 2 invalid file (or usage)." })
    static final class Apply implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file with the new tasks.")
        private Path file;

        @Option(names = { "--journal-dir", "--journal" }, paramLabel = "DIR",
            description = "The daemon's journal directory: its admin endpoint's URL is in admin.url there.")
        private Path journalDir;

        @Option(names = "--url", paramLabel = "URL",
            description = "The daemon's admin endpoint, e.g. http://127.0.0.1:9465 (see its --admin-bind).")
        private String url;

        @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the token the daemon's --admin-token-file holds.")
        private Path tokenFile;

        @Option(names = "--check", description = "Only check the file here, as the daemon would; send nothing.")
        private boolean checkOnly;

        @Override
        public Integer call() throws IOException, InterruptedException
        {
            // Checked here first: the same errors as at start, without a round trip.
            PipelineFile.load(file);
            if (checkOnly)
            {
                System.out.println(file + ": valid pipeline (the daemon also checks that its source and sink are " +
                    "the running ones)");
                return RingflowCommand.EXIT_OK;
            }
            final String endpoint = endpoint();
            final String token = AdminOptions.readToken(this, tokenFile);
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/pipeline"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/yaml")
                .header("X-Ringflow-File", String.valueOf(file.getFileName()))
                .POST(HttpRequest.BodyPublishers.ofFile(file));
            if (null != token)
            {
                request.header("Authorization", "Bearer " + token);
            }
            final HttpResponse<String> response;
            try
            {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            catch (final ConnectException ex)
            {
                throw new CommandFailedException("no daemon answers at " + endpoint + " (is it running, with its " +
                    "admin endpoint on?)", ex);
            }
            final String body = response.body().stripTrailing();
            if (response.statusCode() == 200)
            {
                System.out.println(body);
                return RingflowCommand.EXIT_OK;
            }
            System.err.println("ringflow: the daemon did not apply " + file + " (HTTP " + response.statusCode() +
                "):");
            System.err.println(body);
            return response.statusCode() == 400 ? RingflowCommand.EXIT_USAGE : RingflowCommand.EXIT_FAILURE;
        }

        private String endpoint() throws IOException
        {
            if (null != url)
            {
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
            if (null == journalDir)
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "say where the daemon is: --journal-dir DIR (its journal directory) or --url URL");
            }
            final Path urlFile = journalDir.resolve(AdminServer.URL_FILE);
            if (!Files.isRegularFile(urlFile))
            {
                throw new CommandFailedException("no " + AdminServer.URL_FILE + " in " + journalDir + ": no daemon " +
                    "with an admin endpoint runs on that journal (or it was started with --admin-bind off)");
            }
            return Files.readString(urlFile, StandardCharsets.UTF_8).strip();
        }
    }
}

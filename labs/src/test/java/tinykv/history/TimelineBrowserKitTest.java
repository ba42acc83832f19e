package tinykv.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline page works in a real browser: headless Chromium loads a small one with no network, runs its
 * script without an error, and draws every operation (all of them in the whole-run view, fewer in a view of
 * part of the run). Skipped, saying so, where Chromium is not installed ({@code .ci/run} installs it).
 */
@Tag("kit")
@DisplayName("Kit: the timeline renders in headless Chromium")
class TimelineBrowserKitTest {
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Pattern STATUS = Pattern.compile("<div id=\"status\"([^>]*)>");

    @TempDir
    Path dir;

    /** Three clients, one write without an answer, a stale read; two stores, a partition and a snapshot. */
    static RunRecord smallRun() {
        long[] now = {0};
        HistoryRecorder history = new HistoryRecorder(() -> now[0]);
        ClusterTimeline timeline = new ClusterTimeline(() -> now[0]);
        timeline.role(1, 1, true, 5);
        timeline.role(2, 1, false, 5);
        int put = history.call("client 0", new KvInput.Put("default", "k", "1"));
        now[0] = 100;
        history.answer(put, new KvOutput.Ack());
        timeline.filterAdded("partition [1] | [2]");
        int put2 = history.call("client 0", new KvInput.Put("default", "k", "2"));
        int scan = history.call("client 2", new KvInput.Scan("a", "z"));
        now[0] = 200;
        history.answer(put2, new KvOutput.Ack());
        history.answer(scan, new KvOutput.Rows(List.of(new KvOutput.Row("k", "2")), "z"));
        timeline.snapshotStarted(7, 1, 1, 2);
        now[0] = 300;
        int get = history.call("client 1", new KvInput.Get("default", "k"));
        timeline.storeDown(2);
        now[0] = 400;
        history.answer(get, new KvOutput.Value("1"));
        timeline.snapshotCompleted(7);
        history.call("client 2", new KvInput.Put("default", "j", "never answered"));
        now[0] = 500;
        int delete = history.call("client 1", new KvInput.Delete("default", "j"));
        now[0] = 2000;
        history.answer(delete, new KvOutput.Ack());
        RunRecord run = new RunRecord(3, history, timeline, LinearizabilityChecker.DEFAULT_STEP_BUDGET);
        assertThat(run.check(now[0]).verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
        return run;
    }

    @Test
    @DisplayName("loads offline without a script error and draws every operation of the view")
    void rendersInChromium() throws Exception {
        Optional<Path> browser = findBrowser();
        assumeTrue(browser.isPresent(), "Chromium is not installed (looked for " + BROWSERS + " on the PATH): "
                + "this check of the timeline page is skipped; install it with `apt-get install chromium`");
        Path page = dir.resolve("small.html");
        Files.writeString(page, TimelineHtml.render("rendersInChromium", smallRun()));

        String whole = status(browser.get(), page.toUri().toString());
        assertThat(attribute(whole, "data-errors")).as("script errors, in %s", whole).isEqualTo("0");
        assertThat(attribute(whole, "data-ready")).isEqualTo("true");
        assertThat(attribute(whole, "data-total")).isEqualTo("6");
        assertThat(attribute(whole, "data-ops")).as("operations drawn in the whole run").isEqualTo("6");

        // From 0.6 s on, only the delete (0.5 s to 2 s) and the write that never got an answer are in view.
        String part = status(browser.get(), page.toUri() + "#view=600,1000");
        assertThat(attribute(part, "data-errors")).isEqualTo("0");
        assertThat(attribute(part, "data-ops")).isEqualTo("2");
    }

    private static Optional<Path> findBrowser() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(d -> BROWSERS.stream().map(name -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** The page's status element once loaded, from the DOM headless Chromium dumps; no network at all. */
    private String status(Path browser, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        Process process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=5000", "--dump-dom", url)
                .redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] dom = process.getInputStream().readAllBytes();
        // A safety net against a browser that hangs, not a measurement: nothing is asserted on time.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("headless Chromium did not finish loading " + url);
        }
        String text = new String(dom, StandardCharsets.UTF_8);
        Matcher status = STATUS.matcher(text);
        assertThat(status.find()).as("the page's status element in the DOM Chromium dumped (exit %d): %s",
                process.exitValue(), Files.readString(dir.resolve("chromium.log"))).isTrue();
        return status.group(1);
    }

    private static String attribute(String attributes, String name) {
        Matcher value = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
        return value.find() ? value.group(1) : "(missing)";
    }
}

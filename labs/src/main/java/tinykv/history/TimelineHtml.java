package tinykv.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's timeline as one self-contained HTML page: the page's script and style are inlined from
 * {@code timeline.html} (a resource beside this class) and the run's data is a JSON object inside it. Nothing
 * is fetched over the network, so the file opens anywhere, offline.
 */
public final class TimelineHtml {
    private static final String DATA_MARK = "/*TIMELINE_DATA*/null";
    private static final int MAX_ANSWER_CHARS = 240;

    private TimelineHtml() {}

    public static String render(String test, RunRecord run) {
        String template = template();
        int mark = template.indexOf(DATA_MARK);
        if (mark < 0) {
            throw new IllegalStateException("timeline.html has no " + DATA_MARK + " for the data");
        }
        return template.substring(0, mark) + json(test, run) + template.substring(mark + DATA_MARK.length());
    }

    private static String template() {
        try (InputStream in = TimelineHtml.class.getResourceAsStream("timeline.html")) {
            if (in == null) {
                throw new IllegalStateException("timeline.html is missing beside " + TimelineHtml.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run as the page's script reads it. */
    static String json(String test, RunRecord run) {
        CheckResult<KvInput, KvOutput> result = run.result();
        List<HistoryRecorder.Entry> entries = run.history().entries();
        Map<String, Integer> clients = new LinkedHashMap<>();
        Json ops = Json.array();
        for (HistoryRecorder.Entry entry : entries) {
            int client = clients.computeIfAbsent(entry.client(), c -> clients.size());
            ops.add(Json.array().add(entry.id()).add(client).add(kind(entry.input())).add(entry.input().toString())
                    .add(entry.isPending() ? null : brief(entry.output())).add(entry.callMillis())
                    .add(entry.retMillis()).add(entry.store()));
        }
        Json stores = Json.array();
        for (ClusterTimeline.StoreSpan span : run.timeline().storeSpans()) {
            stores.add(Json.array().add(span.storeId()).add(span.regionId()).add(span.role()).add(span.term())
                    .add(span.start()).add(span.end()));
        }
        Json network = Json.array();
        for (ClusterTimeline.NetworkSpan span : run.timeline().networkSpans()) {
            network.add(Json.array().add(span.filter()).add(span.start()).add(span.end()));
        }
        Json snapshots = Json.array();
        for (ClusterTimeline.SnapshotSpan span : run.timeline().snapshotSpans()) {
            snapshots.add(Json.array().add(span.regionId()).add(span.fromStore()).add(span.toStore())
                    .add(span.start()).add(span.end()).add(span.completed()));
        }
        Json names = Json.array();
        clients.keySet().forEach(names::add);
        Json data = Json.object().put("test", test).put("seed", run.seed()).put("end", run.endMillis())
                .put("verdict", result == null ? "not checked" : result.verdict().toString())
                .put("report", result == null ? "" : HistoryReport.describe(result, run.history()))
                .put("clients", names).put("ops", ops).put("stores", stores).put("network", network)
                .put("snapshots", snapshots);
        if (result != null && result.failure() != null) {
            CheckResult.Failure<KvInput, KvOutput> failure = result.failure();
            Json part = Json.array();
            failure.part().forEach(op -> part.add(op.id()));
            Json longest = Json.array();
            failure.longest().forEach(op -> longest.add(op.id()));
            HistoryRecorder.Entry stuck = entries.get(failure.stuckAt().id());
            data.put("failure", Json.object().put("part", part).put("longest", longest).put("stuck", stuck.id())
                    .put("frontier", stuck.retMillis()));
        }
        return data.toString();
    }

    /** Answers as the tooltip shows them: a long scan's rows are cut, or the page grows with the square of a run. */
    static String brief(KvOutput output) {
        String text = output.toString();
        if (text.length() <= MAX_ANSWER_CHARS) {
            return text;
        }
        String count = output instanceof KvOutput.Rows rows ? rows.rows().size() + " rows" : text.length() + " characters";
        return text.substring(0, MAX_ANSWER_CHARS) + " ... (" + count + " in all)";
    }

    private static String kind(KvInput input) {
        return input.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Just enough JSON: arrays, objects, strings, numbers, booleans and null, written as built. */
    private static final class Json {
        private final StringBuilder text = new StringBuilder();
        private final char close;
        private boolean empty = true;

        private Json(char open, char close) {
            text.append(open);
            this.close = close;
        }

        static Json array() {
            return new Json('[', ']');
        }

        static Json object() {
            return new Json('{', '}');
        }

        Json add(Object value) {
            separate();
            write(value);
            return this;
        }

        Json put(String key, Object value) {
            separate();
            write(key);
            text.append(':');
            write(value);
            return this;
        }

        private void separate() {
            if (!empty) {
                text.append(',');
            }
            empty = false;
        }

        private void write(Object value) {
            if (value == null) {
                text.append("null");
            } else if (value instanceof Number || value instanceof Boolean) {
                text.append(value);
            } else if (value instanceof Json json) {
                text.append(json);
            } else {
                quote(value.toString());
            }
        }

        private void quote(String s) {
            text.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> text.append("\\\"");
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    // "</script>" inside the data would end the page's script early.
                    case '<' -> text.append("\\u003c");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            text.append(String.format("\\u%04x", (int) c));
                        } else {
                            text.append(c);
                        }
                    }
                }
            }
            text.append('"');
        }

        @Override
        public String toString() {
            return text + String.valueOf(close);
        }
    }
}

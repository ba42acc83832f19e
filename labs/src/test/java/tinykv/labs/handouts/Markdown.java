package tinykv.labs.handouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a handout the checks look at: headings, code spans, lines of code blocks and links.
 * Only as much Markdown as the handouts use: ATX headings, fenced code blocks and single-backtick spans.
 */
record Markdown(Path file, List<Heading> headings, List<Span> spans, List<Line> codeLines, List<Line> links,
        String text) {

    /** A heading, and the English heading it stands for when a {@code <!-- en: ... -->} line precedes it. */
    record Heading(int level, String text, int line, Optional<String> english) {}

    /** A code span with the text just before it (to tell "TinyKV's `Foo`" from a name of this kit). */
    record Span(String code, int line, String before) {}

    /** One line of text and where it is. */
    record Line(String text, int line) {}

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern ENGLISH_KEY = Pattern.compile("^<!--\\s*en:\\s*(.+?)\\s*-->$");
    private static final Pattern SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    static Markdown read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read handout " + file, e);
        }
    }

    static Markdown parse(Path file, String text) {
        List<Heading> headings = new ArrayList<>();
        List<Line> codeLines = new ArrayList<>();
        StringBuilder prose = new StringBuilder(); // the text outside code blocks, code blocks blanked out
        String[] lines = text.split("\n", -1);
        boolean inFence = false;
        String previous = "";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                prose.append('\n');
                continue;
            }
            if (inFence) {
                codeLines.add(new Line(line, i + 1));
                prose.append('\n');
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                Matcher key = ENGLISH_KEY.matcher(previous.strip());
                headings.add(new Heading(heading.group(1).length(), heading.group(2), i + 1,
                        key.matches() ? Optional.of(key.group(1)) : Optional.empty()));
            }
            prose.append(line).append('\n');
            if (!line.isBlank()) {
                previous = line;
            }
        }
        return new Markdown(file, headings, spans(prose.toString()), codeLines, links(prose.toString()), text);
    }

    /** Code spans, which may run over a line break inside a paragraph (but not over a blank line). */
    private static List<Span> spans(String prose) {
        List<Span> spans = new ArrayList<>();
        Matcher m = SPAN.matcher(prose);
        while (m.find()) {
            String code = m.group(1);
            if (code.contains("\n\n")) {
                continue;
            }
            String before = prose.substring(Math.max(0, m.start() - 30), m.start()).replace('\n', ' ');
            spans.add(new Span(code.replace('\n', ' ').strip(), lineOf(prose, m.start()), before));
        }
        return spans;
    }

    /** Link targets, outside code spans. */
    private static List<Line> links(String prose) {
        String outsideSpans = SPAN.matcher(prose).replaceAll(r -> r.group().replaceAll("[^\n]", " "));
        List<Line> links = new ArrayList<>();
        Matcher m = LINK.matcher(outsideSpans);
        while (m.find()) {
            links.add(new Line(m.group(1), lineOf(outsideSpans, m.start())));
        }
        return links;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }
}

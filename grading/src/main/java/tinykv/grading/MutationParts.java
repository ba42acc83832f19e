package tinykv.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The two ends of {@code make mutation LAB=2aa} (instructors only; the kit leaves this file out), around PIT's
 * run in the labs module's Maven profile {@code mutation}.
 *
 * <p>{@code classes REPO PART} prints the classes PIT mutates for a part, as PIT's {@code targetClasses}: the
 * student classes ({@link StudentFiles}, the grader's list) in every folder where the skeleton has a
 * {@code Todo} of that part. A part's tests exercise the whole of its folder, not only the methods its Todos
 * name (lab 2AB's replication is written in {@code Raft.step}, a 2AA stub), so the folder is the unit.
 *
 * <p>{@code score PART REPORT_DIR SECONDS} reads PIT's {@code mutations.xml} in REPORT_DIR and prints the part's
 * score: mutants killed of all mutants (PIT's mutation score), of the mutants its tests reach (PIT's test
 * strength), per class, and where the HTML report is.
 *
 * <p>Usage: {@code java -cp CLASSES tinykv.grading.MutationParts classes|score ...}; it uses only the JDK.
 */
public final class MutationParts {
    private static final Pattern PART = Pattern.compile("lab[0-9][a-z]+");

    private MutationParts() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("classes")) {
            System.out.println(String.join(",", targetClasses(Path.of(args[1]), part(args[2]))));
        } else if (args.length == 4 && args[0].equals("score")) {
            System.out.print(score(part(args[1]), Path.of(args[2]), Long.parseLong(args[3])));
        } else {
            System.err.println("usage: MutationParts classes REPO PART | score PART REPORT_DIR SECONDS");
            System.exit(2);
        }
    }

    private static String part(String part) {
        if (!PART.matcher(part).matches()) {
            throw new IllegalArgumentException("not a lab part: '" + part + "' (lab2aa, lab2b, ...)");
        }
        return part;
    }

    /** PIT's globs for the part's classes, each with its nested classes: {@code tinykv.raft.Raft, ...Raft$*}. */
    static List<String> targetClasses(Path repo, String part) throws IOException {
        StudentFiles students = StudentFiles.of(repo);
        String todo = "new Todo(\"" + part + "\"";
        List<String> folders = new ArrayList<>();
        for (String file : students.classes()) {
            if (Files.readString(repo.resolve(StudentFiles.SOURCES).resolve(file)).contains(todo)) {
                folders.add(folder(file));
            }
        }
        List<String> globs = new ArrayList<>();
        for (String file : students.classes()) {
            if (folders.contains(folder(file))) {
                String name = file.substring(0, file.length() - ".java".length()).replace('/', '.');
                globs.add(name);
                globs.add(name + "$*");
            }
        }
        if (globs.isEmpty()) {
            throw new IllegalArgumentException("no student class of " + repo + " has a Todo of " + part
                    + ": nothing to mutate (is the part's tag spelled as in the skeleton's Todos?)");
        }
        return globs;
    }

    private static String folder(String file) {
        return file.substring(0, Math.max(0, file.lastIndexOf('/')));
    }

    /** Killed (PIT's "detected": killed, timed out, out of memory, crashed) and reached mutants of one class. */
    record Tally(int total, int reached, int killed, int survived) {
        Tally plus(Tally other) {
            return new Tally(total + other.total, reached + other.reached, killed + other.killed,
                    survived + other.survived);
        }
    }

    static String score(String part, Path reportDir, long seconds) throws Exception {
        Path xml = reportDir.resolve("mutations.xml");
        if (!Files.exists(xml)) {
            throw new IllegalArgumentException("PIT wrote no " + xml + ": see the part's Maven log beside it");
        }
        NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("mutation");
        Map<String, Tally> byClass = new TreeMap<>();
        for (int i = 0; i < mutations.getLength(); i++) {
            Element mutation = (Element) mutations.item(i);
            String status = mutation.getAttribute("status");
            String type = mutation.getElementsByTagName("mutatedClass").item(0).getTextContent();
            String outer = type.substring(type.lastIndexOf('.') + 1).replaceFirst("\\$.*", "");
            Tally one = new Tally(1, status.equals("NO_COVERAGE") ? 0 : 1,
                    mutation.getAttribute("detected").equals("true") ? 1 : 0, status.equals("SURVIVED") ? 1 : 0);
            byClass.merge(outer, one, Tally::plus);
        }
        Tally all = byClass.values().stream().reduce(new Tally(0, 0, 0, 0), Tally::plus);
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-6s mutation score %d/%d (%s); of the %d its tests reach, %d killed (test strength "
                + "%s), %d survived; %s%n", part, all.killed, all.total, percent(all.killed, all.total), all.reached,
                all.killed, percent(all.killed, all.reached), all.survived, duration(seconds)));
        List<String> classes = new ArrayList<>();
        byClass.forEach((name, t) -> classes.add(String.format("%s %d/%d (%d reached, %d survived)", name, t.killed,
                t.total, t.reached, t.survived)));
        text.append("       per class: ").append(String.join(", ", classes)).append('\n');
        text.append("       report: ").append(reportDir.resolve("index.html")).append('\n');
        return text.toString();
    }

    private static String percent(int part, int whole) {
        return whole == 0 ? "-" : Math.round(100.0 * part / whole) + "%";
    }

    private static String duration(long seconds) {
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}

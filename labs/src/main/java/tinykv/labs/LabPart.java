package tinykv.labs;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The lab parts, each a JUnit tag on its staged tests ({@code @Tag("lab2aa")}) and a make target. */
public enum LabPart {
    LAB2AA, LAB2AB, LAB2AC, LAB2B, LAB2C, LAB3A, LAB3B, LAB3C;

    /** The JUnit tag and make target: {@code lab2aa}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The part as TinyKV's test names end: {@code 2AA}. */
    public String suffix() {
        return name().substring("LAB".length());
    }

    /** The part as {@code LAB=} names it: {@code 2aa}. */
    public String lab() {
        return suffix().toLowerCase(Locale.ROOT);
    }

    /**
     * The student packages (folders under {@code skeleton/src/main/java}) whose code this part's tests run: the
     * Raft-level parts run only the Raft module; every cluster part runs the raftstore over it; 3C's
     * in-the-loop tests run the scheduler beside both. The determinism rules are checked on these packages'
     * classes before the part runs ({@code make lab2b}), and a class that breaks one zeroes, in a grade, every
     * part that lists its package (none of those parts' seeds can be trusted). A kit test checks that every
     * student class's folder is listed by some part.
     */
    public List<String> studentPackages() {
        String raft = "tinykv/raft";
        String raftstore = "tinykv/kv/raftstore";
        return switch (this) {
            case LAB2AA, LAB2AB, LAB2AC, LAB3A -> List.of(raft);
            case LAB2B, LAB2C, LAB3B -> List.of(raft, raftstore);
            case LAB3C -> List.of(raft, raftstore, "tinykv/scheduler/server", "tinykv/scheduler/schedulers");
        };
    }

    /** The parts a tag expression of the lab targets names ({@code lab2aa|lab2ab}); other tags are ignored. */
    public static List<LabPart> inTagExpression(String tags) {
        List<String> named = Arrays.stream(tags.split("[|&!(),\\s]+")).toList();
        return Arrays.stream(values()).filter(part -> named.contains(part.tag())).toList();
    }

    /** The part whose JUnit tag this is, if any ({@code lab2b}; a fixture's tag is none). */
    public static Optional<LabPart> ofTag(String tag) {
        return Arrays.stream(values()).filter(part -> part.tag().equals(tag)).findFirst();
    }

    /**
     * The parts {@code LAB=} names: one part ({@code 2b}, {@code lab2b}), or a whole lab by the start of its
     * parts' names ({@code 2a}: 2AA, 2AB and 2AC; {@code 3}: every part of lab 3), as the make targets do.
     */
    public static List<LabPart> select(String lab) {
        Optional<LabPart> exact = ofTag(tagOf(lab));
        if (exact.isPresent()) {
            return List.of(exact.get());
        }
        List<LabPart> parts = Arrays.stream(values()).filter(part -> part.tag().startsWith(tagOf(lab))).toList();
        if (parts.isEmpty() || lab.isBlank()) {
            throw new IllegalArgumentException("LAB must be a lab part " + Arrays.stream(values()).map(LabPart::lab)
                    .toList() + " or a lab (2a, 2, 3), was '" + lab + "'");
        }
        return parts;
    }

    private static String tagOf(String lab) {
        String lower = lab.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("lab") ? lower : "lab" + lower;
    }

    public static String[] allTags() {
        return Arrays.stream(values()).map(LabPart::tag).toArray(String[]::new);
    }
}

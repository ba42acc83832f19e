package tinykv.labs;

import java.util.Arrays;
import java.util.Locale;

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

    public static String[] allTags() {
        return Arrays.stream(values()).map(LabPart::tag).toArray(String[]::new);
    }
}

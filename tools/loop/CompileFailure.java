package tinykv.loop;

import java.io.PrintStream;
import java.util.List;

/** The sources of a unit did not compile: the compiler's errors, to print as Maven's build prints them. */
final class CompileFailure extends Exception {
    private final List<String> errors;

    CompileFailure(String unit, List<String> errors) {
        super(unit + " does not compile");
        this.errors = errors;
    }

    void print(PrintStream out) {
        out.println("[ERROR] COMPILATION ERROR : ");
        errors.forEach(error -> out.println("[ERROR] " + error));
    }
}

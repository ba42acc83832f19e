package tinykv;

/**
 * Thrown by every method a student has yet to write.
 *
 * <p>The message names the lab part and the method, e.g. {@code lab2aa: Raft.tick() is not implemented},
 * so a failing test says at once which TODO it reached. Replace the {@code throw new Todo(...)} line with
 * your code; never catch this exception.
 */
public final class Todo extends UnsupportedOperationException {
    private final String labPart;
    private final String method;

    /**
     * @param labPart the lab part the method belongs to, as the tag names it: {@code "lab2aa"}
     * @param method  the method, as a student would look for it: {@code "Raft.tick()"}
     */
    public Todo(String labPart, String method) {
        super(labPart + ": " + method + " is not implemented");
        this.labPart = labPart;
        this.method = method;
    }

    public String labPart() {
        return labPart;
    }

    public String method() {
        return method;
    }
}

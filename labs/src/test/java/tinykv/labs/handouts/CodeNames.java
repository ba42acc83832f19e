package tinykv.labs.handouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides whether one code span of a handout names something that exists in the kit. It looks at spans
 * that read as a class ({@code RaftLog}, {@code new Ready(...)}), a member of one ({@code Raft.tick()},
 * {@code RaftException.ProposalDropped}, {@code MessageType.MsgHup}), a bare method call
 * ({@code tick()}) or a file path ({@code raft/Raft.java}); anything else (expressions such as
 * {@code prs.get(from).match}, values, messages) is not a name and passes.
 */
final class CodeNames {
    /** Where file paths may point: the kit's sources and handouts, and the files at the root. */
    static final List<String> PATH_ROOTS = List.of("skeleton", "labs", "handouts");

    private static final Pattern TYPE = Pattern.compile("[A-Z]\\w*");
    private static final Pattern MEMBER = Pattern.compile("[a-z_]\\w*|[A-Z][A-Z0-9_]*");
    private static final Pattern CALL = Pattern.compile("[a-z]\\w*\\(.*\\)");
    /** "TinyKV's `Storage.Snapshot`": a name of TinyKV's Go code, etcd's or Go's, not of this kit. */
    private static final Pattern FOREIGN = Pattern.compile("(TinyKV|etcd|Go)('s| ?的)\\s*$");
    private static final Pattern FILE = Pattern.compile("[\\w.\\-]+\\.(java|proto|md|xml|properties|json|yml|sh)");
    private static final Pattern PATH = Pattern.compile("[a-z.][\\w.\\-]*(/[\\w.\\-]+)*/?");

    /** A chain of calls on a variable: {@code peer.raftGroup().propose(...)}; each called name must exist. */
    private static final Pattern CHAIN = Pattern.compile("[a-z]\\w*(\\.[a-z]\\w*(\\([^()]*\\))?)+");
    private static final Pattern CHAIN_CALL = Pattern.compile("\\.([a-z]\\w*)\\(");
    /** A fully qualified name: {@code tinykv.runtime.Mailbox}, {@code java.util.Timer}, {@code tinykv.raft}. */
    private static final Pattern QUALIFIED = Pattern.compile("(tinykv|java)(\\.[a-z]\\w*)*(\\.[A-Z]\\w*)?");
    /**
     * Methods that calls in a handout may reach besides the kit's own: arithmetic ({@code min(a, b)}), the
     * collections the kit's fields are ({@code prs.get(from)}), and every protobuf message's.
     */
    private static final Set<String> LIBRARY_METHODS = Stream.of(Math.class, Object.class, Map.class, List.class,
                    Optional.class, com.google.protobuf.Message.class)
            .flatMap(c -> Stream.of(c.getMethods())).map(Method::getName)
            .collect(Collectors.toUnmodifiableSet());

    private final KitTypes types;
    private final Path root;
    private final Set<String> kitPaths = new TreeSet<>();

    CodeNames(Path root, KitTypes types) {
        this.root = root;
        this.types = types;
        for (String dir : PATH_ROOTS) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                walk.filter(p -> !p.toString().contains("/target")).forEach(p ->
                        kitPaths.add(root.relativize(p).toString().replace('\\', '/')));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root.resolve(dir), e);
            }
        }
    }

    /** Why the span names nothing in the kit, or empty if it does (or is not a name at all). */
    Optional<String> check(Markdown.Span span) {
        String code = span.code();
        if (FOREIGN.matcher(span.before()).find() || code.startsWith("make ")) {
            return Optional.empty();
        }
        if (isPath(code)) {
            return pathExists(code) ? Optional.empty()
                    : Optional.of("`" + code + "` is not a file or folder of the kit (" + String.join(", ", PATH_ROOTS) + ")");
        }
        if (QUALIFIED.matcher(code).matches()) {
            return qualifiedExists(code) ? Optional.empty()
                    : Optional.of("`" + code + "` is not a class or package of the kit or of java.base");
        }
        if (CHAIN.matcher(code).matches()) {
            Matcher call = CHAIN_CALL.matcher(code);
            while (call.find()) {
                if (!isMethod(call.group(1))) {
                    return Optional.of("`" + code + "`: no class of the kit has a method " + call.group(1) + "()");
                }
            }
            return Optional.empty();
        }
        if (code.startsWith("new ")) {
            code = code.substring("new ".length());
        }
        if (CALL.matcher(code).matches()) {
            String method = code.substring(0, code.indexOf('('));
            return isMethod(method) ? Optional.empty()
                    : Optional.of("`" + span.code() + "`: no class of the kit has a method " + method + "()");
        }
        return checkQualified(span.code(), code);
    }

    /** {@code Type}, {@code Type(args)}, {@code Type.Nested...}, {@code Type.member}, {@code Type.member(args)}. */
    private Optional<String> checkQualified(String shown, String code) {
        int paren = code.indexOf('(');
        if (paren >= 0 && !code.endsWith(")")) {
            return Optional.empty(); // a call followed by more: an expression, not a name
        }
        String path = paren >= 0 ? code.substring(0, paren) : code;
        boolean called = paren >= 0;
        String[] parts = path.split("\\.", -1);
        if (!TYPE.matcher(parts[0]).matches() || !parts[0].chars().anyMatch(Character::isLowerCase)) {
            return Optional.empty(); // lower case: an expression on a variable; all capitals: a constant
        }
        for (int i = 1; i < parts.length; i++) {
            if (!TYPE.matcher(parts[i]).matches() && !(i == parts.length - 1 && MEMBER.matcher(parts[i]).matches())) {
                return Optional.empty(); // not a dotted name
            }
        }
        if (!called && types.isEnumConstant(parts[0]) && !types.isType(parts[0])) {
            return Optional.empty(); // MsgHup, CompactLog, Normal: constants of the kit's enums (MsgHup.from: a field)
        }
        if (!types.isType(parts[0])) {
            return Optional.of("`" + shown + "`: " + parts[0] + " is not a class of the kit or of java.base");
        }
        String owner = parts[0];
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (last && MEMBER.matcher(part).matches() && !TYPE.matcher(part).matches()
                    || last && called && Character.isLowerCase(part.charAt(0))) {
                return types.hasMember(owner, part, called) ? Optional.empty()
                        : Optional.of("`" + shown + "`: " + owner + " has no " + (called ? "method " : "member ") + part);
            }
            if (!types.hasNested(owner, part)) {
                return Optional.of("`" + shown + "`: " + owner + " has no nested class, constant or field " + part);
            }
            owner = part;
        }
        return Optional.empty();
    }

    private boolean isMethod(String name) {
        return types.isMethodName(name) || LIBRARY_METHODS.contains(name);
    }

    private boolean qualifiedExists(String name) {
        try {
            Class.forName(name, false, CodeNames.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            String dir = name.replace('.', '/');
            return ModuleLayer.boot().findModule("java.base").orElseThrow().getPackages().contains(name)
                    || KitTypes.JAVA_ROOTS.stream().anyMatch(r -> Files.isDirectory(root.resolve(r).resolve(dir)));
        }
    }

    private static boolean isPath(String code) {
        if (code.contains(" ") || code.endsWith(".go")) {
            return false; // TinyKV's Go files are not in this kit
        }
        return FILE.matcher(code.substring(code.lastIndexOf('/') + 1)).matches()
                || code.contains("/") && PATH.matcher(code).matches();
    }

    private boolean pathExists(String code) {
        String path = code.endsWith("/") ? code.substring(0, code.length() - 1) : code;
        if (path.startsWith("target/") || path.contains("/target/") || path.endsWith("/target")) {
            return true; // build output: made by the build, not part of the sources
        }
        if (Files.exists(root.resolve(path))) {
            return true;
        }
        return kitPaths.stream().anyMatch(p -> p.endsWith("/" + path));
    }
}

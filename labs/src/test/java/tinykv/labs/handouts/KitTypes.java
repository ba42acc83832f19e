package tinykv.labs.handouts;

import com.google.protobuf.MessageOrBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The types a handout may name, found at test time: every class of the kit's Java sources (skeleton,
 * labs) and protobuf files, with their nested classes, and the JDK's {@code java.base}. Members are looked
 * up by reflection, so inherited methods, record accessors and generated protobuf getters all count. A
 * source file whose class is not on this classpath (the skeleton's own tests) is read as text instead.
 */
final class KitTypes {

    /** Where the kit's Java sources are, relative to the repository root. */
    static final List<String> JAVA_ROOTS = List.of("skeleton/src/main/java", "skeleton/src/test/java",
            "labs/src/main/java", "labs/src/test/java", "labs/src/hidden/java");
    static final String PROTO_ROOT = "skeleton/src/main/proto";

    private static final Pattern PROTO_PACKAGE = Pattern.compile("option\\s+java_package\\s*=\\s*\"([\\w.]+)\"");
    private static final Pattern PROTO_TYPE = Pattern.compile("(?m)^(?:message|enum)\\s+(\\w+)");
    private static final Pattern NESTED_TYPE =
            Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)");

    /** Loaded types by simple name (nested ones too: {@code ProposalDropped}). */
    private final Map<String, List<Class<?>>> loaded = new TreeMap<>();
    /** Types known only from their source text, by simple name, with that text. */
    private final Map<String, String> sourceOnly = new TreeMap<>();
    private final Set<String> enumConstants = new HashSet<>();
    private final Set<String> methodNames = new HashSet<>();
    private final List<String> javaBasePackages;

    KitTypes(Path root) {
        javaBasePackages = ModuleLayer.boot().findModule("java.base").orElseThrow().getPackages().stream()
                .sorted().toList();
        for (String javaRoot : JAVA_ROOTS) {
            for (Path source : files(root.resolve(javaRoot), ".java")) {
                addJavaSource(root.resolve(javaRoot), source);
            }
        }
        for (Path proto : files(root.resolve(PROTO_ROOT), ".proto")) {
            addProto(proto);
        }
        if (loaded.isEmpty()) {
            throw new IllegalStateException("no kit classes found under " + root + ": is this the repository root?");
        }
    }

    /** Whether {@code name} is a type of the kit or of java.base. */
    boolean isType(String name) {
        return !resolve(name).isEmpty() || sourceOnly.containsKey(name);
    }

    /** Whether some enum of the kit has a constant {@code name} ({@code MsgHup}, {@code CompactLog}). */
    boolean isEnumConstant(String name) {
        return enumConstants.contains(name);
    }

    /** Whether some kit type declares a method {@code name}. */
    boolean isMethodName(String name) {
        return methodNames.contains(name);
    }

    /** Whether type {@code type} has a nested type, enum constant or static field {@code name}. */
    boolean hasNested(String type, String name) {
        for (Class<?> c : resolve(type)) {
            for (Class<?> nested : c.getClasses()) {
                if (nested.getSimpleName().equals(name)) {
                    return true;
                }
            }
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (nested.getSimpleName().equals(name)) {
                    return true;
                }
            }
            if (hasField(c, name)) {
                return true;
            }
        }
        String source = sourceOnly.get(type);
        return source != null && Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(source).find();
    }

    /**
     * Whether type {@code type} has a member {@code name}: a method (inherited ones too), a field, or for a
     * protobuf message a field whose getter is {@code getName}.
     */
    boolean hasMember(String type, String name, boolean called) {
        for (Class<?> c : resolve(type)) {
            if (hasMethod(c, name) || (!called && hasField(c, name))) {
                return true;
            }
            if (MessageOrBuilder.class.isAssignableFrom(c)
                    && hasMethod(c, "get" + protoCamel(name))) {
                return true;
            }
        }
        String source = sourceOnly.get(type);
        return source != null && Pattern.compile("\\b" + Pattern.quote(name) + "\\s*\\(").matcher(source).find();
    }

    private List<Class<?>> resolve(String name) {
        List<Class<?>> kit = loaded.get(name);
        if (kit != null) {
            return kit;
        }
        for (String pkg : javaBasePackages) {
            Optional<Class<?>> jdk = load(pkg + "." + name);
            if (jdk.isPresent()) {
                return List.of(jdk.get());
            }
        }
        return List.of();
    }

    private void addJavaSource(Path javaRoot, Path source) {
        String relative = javaRoot.relativize(source).toString().replace('\\', '/');
        String className = relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
        if (className.endsWith("package-info")) {
            return;
        }
        Optional<Class<?>> c = load(className);
        if (c.isPresent()) {
            addLoaded(c.get());
            return;
        }
        String text = read(source);
        Matcher nested = NESTED_TYPE.matcher(text);
        while (nested.find()) {
            sourceOnly.put(nested.group(1), text);
        }
        sourceOnly.put(source.getFileName().toString().replace(".java", ""), text);
        Matcher method = Pattern.compile("\\b\\w[\\w<>\\[\\],.?]*\\s+([a-z]\\w*)\\s*\\(").matcher(text);
        while (method.find()) {
            methodNames.add(method.group(1));
        }
    }

    private void addProto(Path proto) {
        String text = read(proto);
        Matcher pkg = PROTO_PACKAGE.matcher(text);
        if (!pkg.find()) {
            throw new IllegalStateException(proto + " has no java_package option");
        }
        Matcher type = PROTO_TYPE.matcher(text);
        while (type.find()) {
            String className = pkg.group(1) + "." + type.group(1);
            addLoaded(load(className).orElseThrow(() ->
                    new IllegalStateException("protobuf type " + className + " is not on the test classpath")));
        }
    }

    private void addLoaded(Class<?> c) {
        loaded.computeIfAbsent(c.getSimpleName(), k -> new ArrayList<>()).add(c);
        if (c.isEnum()) {
            for (Object constant : c.getEnumConstants()) {
                enumConstants.add(((Enum<?>) constant).name());
            }
        }
        try {
            for (Method m : c.getDeclaredMethods()) {
                methodNames.add(m.getName());
            }
            for (Class<?> nested : c.getDeclaredClasses()) {
                addLoaded(nested);
            }
        } catch (LinkageError e) {
            throw new IllegalStateException("cannot inspect " + c.getName(), e);
        }
    }

    private static boolean hasMethod(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (Stream.of(k.getDeclaredMethods()).anyMatch(m -> m.getName().equals(name))) {
                return true;
            }
        }
        return Stream.of(c.getMethods()).anyMatch(m -> m.getName().equals(name));
    }

    private static boolean hasField(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A protobuf field name as its Java getter spells it: {@code compact_index} or {@code compactIndex} -> CompactIndex. */
    private static String protoCamel(String field) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char ch : field.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Optional<Class<?>> load(String className) {
        try {
            return Optional.of(Class.forName(className, false, KitTypes.class.getClassLoader()));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

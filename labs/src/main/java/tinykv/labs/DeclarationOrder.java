package tinykv.labs;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;

/**
 * Runs a test class's methods in the order they are written, so that each part's tests run (and fail) in the
 * order of its handout, easiest first: {@code basic2B} before {@code persistOneClient2B}. JUnit's default
 * order is a hash of the names; reflection gives no order at all. The class file does: javac writes methods in
 * source order, so this reads the method names from it.
 *
 * <p>The default orderer of every lab test ({@code junit.jupiter.testmethod.order.default} in
 * {@code junit-platform.properties}); a class file that cannot be read leaves JUnit's order as it is.
 */
public final class DeclarationOrder implements MethodOrderer {

    @Override
    public void orderMethods(MethodOrdererContext context) {
        List<String> names = methodNamesInOrder(context.getTestClass());
        if (names.isEmpty()) {
            return;
        }
        context.getMethodDescriptors().sort(Comparator.comparingInt(descriptor -> {
            int at = names.indexOf(descriptor.getMethod().getName());
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
    }

    /** The names of the methods a class declares, in class-file order (JVM spec §4.1); empty if unreadable. */
    static List<String> methodNamesInOrder(Class<?> type) {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream stream = type.getResourceAsStream(resource)) {
            return stream == null ? List.of() : read(new DataInputStream(stream));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + type.getName(), e);
        }
    }

    private static List<String> read(DataInputStream in) throws IOException {
        in.readInt(); // magic
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int constants = in.readUnsignedShort();
        String[] utf8 = new String[constants];
        for (int i = 1; i < constants; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> in.skipBytes(2); // class, string, method type, module, package
                case 15 -> in.skipBytes(3); // method handle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // ints, floats, refs, name-and-type, dynamic
                case 5, 6 -> { // longs and doubles take two entries
                    in.skipBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        in.skipBytes(6); // access flags, this class, super class
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        skipMembers(in); // fields
        int methods = in.readUnsignedShort();
        List<String> names = new ArrayList<>(methods);
        for (int i = 0; i < methods; i++) {
            in.skipBytes(2); // access flags
            names.add(utf8[in.readUnsignedShort()]);
            in.skipBytes(2); // descriptor
            skipAttributes(in);
        }
        return names;
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.skipBytes(6); // access flags, name, descriptor
            skipAttributes(in);
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.skipBytes(2);
            in.skipBytes(in.readInt());
        }
    }
}

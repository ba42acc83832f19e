package tinykv.loop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a class file that other classes compile against: its name, flags, supertypes, generic
 * signature, and its non-private fields (with constant values, which javac copies into the classes that
 * read them), methods and member classes. Method bodies, private members, debug data and annotations are
 * left out: a change to those alone needs no other class recompiled (annotations are read at run time
 * from this class's own file).
 *
 * <p>Anonymous, local and synthetic classes (e.g. {@code Raft$1}, an enum switch map) have no ABI: no other
 * source file can name them.
 */
final class ClassAbi {
    private static final int ACC_PRIVATE = 0x0002;
    private static final int ACC_SYNTHETIC = 0x1000;

    private final int[] tags;
    private final String[] utf8;
    private final int[] refIndex;
    private final Object[] numbers;

    private ClassAbi(int count) {
        tags = new int[count];
        utf8 = new String[count];
        refIndex = new int[count];
        numbers = new Object[count];
    }

    /** The ABI as text (stable across recompiles of an unchanged API), or "" for a class no one can name. */
    static String of(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        ClassAbi pool = new ClassAbi(in.readUnsignedShort());
        pool.readPool(in);
        return pool.describe(in);
    }

    private void readPool(DataInputStream in) throws IOException {
        for (int i = 1; i < tags.length; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3 -> numbers[i] = in.readInt();
                case 4 -> numbers[i] = in.readFloat();
                case 5 -> numbers[i++] = in.readLong();
                case 6 -> numbers[i++] = in.readDouble();
                case 7, 8, 16, 19, 20 -> refIndex[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
    }

    /** A field's constant value, as javac would inline it into the classes that read it. */
    private String constant(int index) {
        return tags[index] == 8 ? "\"" + utf8[refIndex[index]] + "\"" : String.valueOf(numbers[index]);
    }

    private String className(int index) {
        return index == 0 ? "" : utf8[refIndex[index]];
    }

    private String describe(DataInputStream in) throws IOException {
        StringBuilder abi = new StringBuilder();
        int access = in.readUnsignedShort();
        String self = className(in.readUnsignedShort());
        abi.append("class ").append(self).append(' ').append(access & ~0x0020)
                .append(" extends ").append(className(in.readUnsignedShort()));
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            abi.append(" implements ").append(className(in.readUnsignedShort()));
        }
        abi.append('\n');
        boolean nameable = (access & ACC_SYNTHETIC) == 0;
        for (int kind = 0; kind < 2; kind++) {
            int members = in.readUnsignedShort();
            for (int i = 0; i < members; i++) {
                int flags = in.readUnsignedShort();
                String member = (kind == 0 ? "field " : "method ") + utf8[in.readUnsignedShort()] + ' '
                        + utf8[in.readUnsignedShort()] + ' ' + flags;
                String attributes = memberAttributes(in);
                if ((flags & ACC_PRIVATE) == 0) {
                    abi.append(member).append(attributes).append('\n');
                }
            }
        }
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            String name = utf8[in.readUnsignedShort()];
            byte[] body = in.readNBytes(in.readInt());
            DataInputStream attribute = new DataInputStream(new java.io.ByteArrayInputStream(body));
            switch (name) {
                case "Signature" -> abi.append("signature ").append(utf8[attribute.readUnsignedShort()]).append('\n');
                case "InnerClasses" -> nameable &= innerClasses(attribute, self, abi);
                case "PermittedSubclasses" -> classList("permits ", attribute, abi);
                case "Record" -> record(attribute, abi);
                default -> { }
            }
        }
        return nameable ? abi.toString() : "";
    }

    private String memberAttributes(DataInputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            String name = utf8[in.readUnsignedShort()];
            byte[] body = in.readNBytes(in.readInt());
            DataInputStream attribute = new DataInputStream(new java.io.ByteArrayInputStream(body));
            switch (name) {
                case "ConstantValue" -> text.append(" = ").append(constant(attribute.readUnsignedShort()));
                case "Signature" -> text.append(" signature ").append(utf8[attribute.readUnsignedShort()]);
                case "Exceptions" -> {
                    int count = attribute.readUnsignedShort();
                    for (int e = 0; e < count; e++) {
                        text.append(" throws ").append(className(attribute.readUnsignedShort()));
                    }
                }
                default -> { }
            }
        }
        return text.toString();
    }

    /** Lists the member classes declared here; returns false when this class itself is anonymous, local or private. */
    private boolean innerClasses(DataInputStream in, String self, StringBuilder abi) throws IOException {
        boolean nameable = true;
        int count = in.readUnsignedShort();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String inner = className(in.readUnsignedShort());
            int outerIndex = in.readUnsignedShort();
            int nameIndex = in.readUnsignedShort();
            int flags = in.readUnsignedShort();
            boolean hidden = outerIndex == 0 || nameIndex == 0 || (flags & (ACC_PRIVATE | ACC_SYNTHETIC)) != 0;
            if (inner.equals(self) && hidden) {
                nameable = false;
            }
            if (!hidden && className(outerIndex).equals(self)) {
                members.add("member " + inner + ' ' + flags);
            }
        }
        members.forEach(member -> abi.append(member).append('\n'));
        return nameable;
    }

    private void classList(String label, DataInputStream in, StringBuilder abi) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            abi.append(label).append(className(in.readUnsignedShort())).append('\n');
        }
    }

    private void record(DataInputStream in, StringBuilder abi) throws IOException {
        int components = in.readUnsignedShort();
        for (int i = 0; i < components; i++) {
            abi.append("component ").append(utf8[in.readUnsignedShort()]).append(' ')
                    .append(utf8[in.readUnsignedShort()]).append(memberAttributes(in)).append('\n');
        }
    }
}

package tinykv.labs;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TextFormat;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.eraftpb.Message;
import tinykv.raft.MessageTypes;

/**
 * How AssertJ shows protobuf values in a failed assertion: one line each, so that two lists of messages can be
 * compared by eye. A Raft message reads as the test network logs it, with its entries as index@term;
 * any other protobuf value in protobuf's own short text form.
 *
 * <p>Installed before every test class by {@link Installer}, a JUnit extension registered through
 * {@code META-INF/services} (AssertJ's own loader would announce itself on the console).
 */
public final class OneLineProtos extends StandardRepresentation {

    /** Makes {@link OneLineProtos} AssertJ's representation for the whole test JVM. */
    public static final class Installer implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            Assertions.useRepresentation(new OneLineProtos());
        }
    }

    @Override
    protected String fallbackToStringOf(Object object) {
        if (object instanceof Message message) {
            return describe(message);
        }
        if (object instanceof Entry entry) {
            return describe(entry);
        }
        if (object instanceof MessageOrBuilder proto) {
            return proto.getClass().getSimpleName() + "{" + TextFormat.shortDebugString(proto) + "}";
        }
        return super.fallbackToStringOf(object);
    }

    static String describe(Message message) {
        String line = MessageTypes.describe(message);
        return message.getEntriesCount() == 0 ? line : line + " "
                + message.getEntriesList().stream().map(OneLineProtos::describe).collect(Collectors.joining(", ", "[", "]"));
    }

    static String describe(Entry entry) {
        String data = entry.getData().isEmpty() ? "" : " \"" + entry.getData().toStringUtf8() + "\"";
        String type = entry.getEntryType() == EntryType.EntryNormal ? "" : " " + entry.getEntryType();
        return entry.getIndex() + "@" + entry.getTerm() + type + data;
    }
}

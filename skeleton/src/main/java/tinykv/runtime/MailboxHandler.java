package tinykv.runtime;

import java.util.List;

/** What a {@link Mailbox} does with its messages: everything queued since the last batch, in order. */
@FunctionalInterface
public interface MailboxHandler<M> {

    void handle(List<M> batch);
}

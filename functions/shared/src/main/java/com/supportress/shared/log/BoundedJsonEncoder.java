package com.supportress.shared.log;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

import java.util.Arrays;

/**
 * Logback's JSON encoder with stack traces cut to a size a log line can carry: at most {@link #MAX_FRAMES} frames per
 * throwable (the count left out follows as {@code omittedFrames}), {@link #MAX_CAUSES} causes deep, {@link #MAX_SUPPRESSED}
 * suppressed ones each, and exception messages of at most {@link #MAX_MESSAGE_CHARS} characters. A deep recursion or a
 * long cause chain would otherwise make a line of megabytes, which CloudWatch Logs cuts at 256 KB into invalid JSON.
 */
public class BoundedJsonEncoder extends JsonEncoder {

    static final int MAX_FRAMES = 32;
    static final int MAX_CAUSES = 4;
    static final int MAX_SUPPRESSED = 4;
    static final int MAX_MESSAGE_CHARS = 2_000;

    @Override
    protected void appendThrowableProxy(StringBuilder sb, String attributeName, IThrowableProxy throwable, boolean appendValueSeparator) {
        IThrowableProxy bounded = throwable == null || throwable instanceof Bounded ? throwable : new Bounded(throwable, 0);
        super.appendThrowableProxy(sb, attributeName, bounded, appendValueSeparator);
    }

    @Override
    protected void appendSTEPArray(StringBuilder sb, StackTraceElementProxy[] frames, int commonFrames) {
        int own = frames == null ? 0 : Math.max(0, frames.length - (commonFrames >= frames.length ? 0 : commonFrames));
        int kept = Math.min(own, MAX_FRAMES);
        super.appendSTEPArray(sb, frames == null ? null : Arrays.copyOf(frames, kept), 0);
        if (kept < own) {
            sb.append(",\"omittedFrames\":").append(own - kept);
        }
    }

    /** A throwable as the encoder sees it, with its message, causes and suppressed ones bounded. */
    private record Bounded(IThrowableProxy delegate, int depth) implements IThrowableProxy {

        @Override
        public String getMessage() {
            String message = delegate.getMessage();
            return message == null || message.length() <= MAX_MESSAGE_CHARS ? message
                    : message.substring(0, MAX_MESSAGE_CHARS) + "... (" + (message.length() - MAX_MESSAGE_CHARS) + " more characters)";
        }

        @Override
        public String getClassName() {
            return delegate.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return delegate.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return delegate.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            IThrowableProxy cause = delegate.getCause();
            return cause == null || depth >= MAX_CAUSES ? null : new Bounded(cause, depth + 1);
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = delegate.getSuppressed();
            if (suppressed == null || depth >= MAX_CAUSES) {
                return new IThrowableProxy[0];
            }
            return Arrays.stream(suppressed).limit(MAX_SUPPRESSED).map(s -> new Bounded(s, depth + 1)).toArray(IThrowableProxy[]::new);
        }

        @Override
        public boolean isCyclic() {
            return delegate.isCyclic();
        }
    }
}

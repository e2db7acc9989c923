package io.flocker.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The library's log lines (logger {@code io.flocker}, INFO and up) from its
 * opening to its closing, as a service's logback would get them. Tests run
 * one at a time in a JVM, so a capture sees only its own test's lines (and
 * those of threads it started).
 */
public final class LogCapture implements AutoCloseable {
    /** One line: its level and its message with the arguments filled in. */
    public record Line(Level level, String logger, String message) {
        @Override public String toString() {
            return level + " " + logger + " - " + message;
        }
    }

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.flocker");
    private final Level before = logger.getLevel();
    private final List<Line> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override protected void append(ILoggingEvent e) {
            synchronized (lines) {
                lines.add(new Line(e.getLevel(), e.getLoggerName(), e.getFormattedMessage()));
            }
        }
    };

    private LogCapture() {
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    /** Starts capturing. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every line so far. */
    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The lines at {@code level}. */
    public List<Line> at(Level level) {
        return lines().stream().filter(l -> l.level().equals(level)).toList();
    }

    /** The one line at {@code level} holding every one of {@code parts}; fails, listing what was logged, when none does. */
    public Line find(Level level, String... parts) {
        Predicate<Line> match = l -> {
            if (!l.level().equals(level)) return false;
            for (String p : parts) if (!l.message().contains(p)) return false;
            return true;
        };
        List<Line> found = lines().stream().filter(match).toList();
        assertTrue(!found.isEmpty(), () -> "no " + level + " line with " + List.of(parts) + " among " + lines());
        return found.get(0);
    }

    @Override public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(before);
    }
}

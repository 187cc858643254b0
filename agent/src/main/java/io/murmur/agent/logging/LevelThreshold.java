package io.murmur.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Lets through what reaches a level that can change while the agent runs (SIGHUP); one instance for every output. */
final class LevelThreshold extends Filter<ILoggingEvent> {

    private volatile Level level;

    LevelThreshold(Level level) {
        this.level = level;
        setName("murmur-agent-level");
    }

    Level level() {
        return level;
    }

    void level(Level newLevel) {
        level = newLevel;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getLevel().isGreaterOrEqual(level) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}

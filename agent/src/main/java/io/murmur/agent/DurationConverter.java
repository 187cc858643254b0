package io.murmur.agent;

import io.murmur.membership.MembershipConfig;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations the way the configuration files write them: {@code 500ms}, {@code 10s}, {@code 2m}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return MembershipConfig.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

package io.murmur.agent;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations the way the configuration files write them: {@code 500ms}, {@code 10s}, {@code 2m}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"")
                    .getDuration("d");
        } catch (ConfigException e) {
            throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (try 500ms, 10s, 2m)");
        }
    }
}

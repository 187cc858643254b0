package io.murmur.serf;

import io.murmur.protocol.SerfMessage.Query;
import io.murmur.protocol.SerfMessage.TagFilter;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Serf's query filters: node names, then tag regular expressions, ANDed; a tag filter matches anywhere in the value. */
final class QueryFilters {
    private QueryFilters() {}

    static boolean matches(Query query, String node, Map<String, String> tags) {
        if (!query.filterNodes().isEmpty() && !query.filterNodes().contains(node)) {
            return false;
        }
        for (TagFilter f : query.filterTags()) {
            String value = tags.get(f.tag());
            if (value == null) {
                return false;
            }
            try {
                if (!Pattern.compile(f.expr()).matcher(value).find()) {
                    return false;
                }
            } catch (PatternSyntaxException e) {
                return false; // a filter that is not a regular expression matches nothing
            }
        }
        return true;
    }
}

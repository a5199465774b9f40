package io.floe.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link RadosGwProfile} with the janitor running every half second, so that a test sees its runs
 * (the console's background-work page, the janitor metrics).
 */
public class RadosGwJanitorProfile extends RadosGwProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("floe.janitor.interval", "500ms");
        return overrides;
    }
}

package io.floe.api.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a chart as the console's script hands it to uPlot: {@code {"labels":[…],"x":[seconds…],"ys":[[…]…]}},
 * written into a {@code data-chart} attribute. Stateless.
 */
final class Charts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {
    }

    static String series(List<String> labels, List<Long> timesMs, List<List<Double>> ys) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("labels", labels);
        chart.put("x", timesMs.stream().map(t -> t / 1000.0).toList());
        chart.put("ys", ys);
        try {
            return JSON.writeValueAsString(chart);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

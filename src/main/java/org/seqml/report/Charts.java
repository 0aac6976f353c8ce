package org.seqml.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** Charts drawn with XChart and returned as PNG data URIs, so the page needs no file or network. */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  static XYChart lines(String title, String x, String y) {
    XYChart chart = new XYChartBuilder().width(720).height(360).title(title).xAxisTitle(x).yAxisTitle(y).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(4);
    return chart;
  }

  static CategoryChart bars(String title, String x, String y) {
    CategoryChart chart = new CategoryChartBuilder().width(720).height(360).title(title).xAxisTitle(x)
        .yAxisTitle(y).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    return chart;
  }

  static List<Double> doubles(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  static String dataUri(Chart<?, ?> chart) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

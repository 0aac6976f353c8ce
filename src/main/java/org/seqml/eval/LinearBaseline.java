package org.seqml.eval;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.window.SlidingWindows;

/**
 * The linear baseline of the long-horizon forecasting literature (DLinear's shape, one model for every
 * series): each of the H forecast steps a linear function of the window's W target values and a bias,
 * fitted by ridge least squares on the training windows with every target known, in the scaled units
 * the model reads. Fitting is one pass over the training windows (the W+1 square normal equations
 * summed per partition); solving is on the driver.
 */
final class LinearBaseline implements Serializable {
  private static final double RIDGE = 1e-3;
  static final StructType PREDICTIONS = new StructType().add("key", DataTypes.StringType, false)
      .add("end_pos", DataTypes.LongType, false).add("horizon_step", DataTypes.IntegerType, false)
      .add("linear_s", DataTypes.DoubleType, false);

  private final double[][] weights; // [W + 1][H]
  private final int features;
  private final int target;
  private final int window;

  private LinearBaseline(double[][] weights, int features, int target, int window) {
    this.weights = weights;
    this.features = features;
    this.target = target;
    this.window = window;
  }

  static LinearBaseline fit(Dataset<Row> scaledWindows, int features, int target, int window, int horizon) {
    int d = window + 1;
    double[] sums = scaledWindows.filter(col("split").equalTo(SlidingWindows.TRAIN).and(col("n_known")
            .equalTo(horizon))).select("features", "target").javaRDD()
        .mapPartitions(rows -> {
          double[] acc = new double[d * d + d * horizon + 1];
          double[] x = new double[d];
          while (rows.hasNext()) {
            Row r = rows.next();
            List<Float> f = r.getList(0);
            List<Float> y = r.getList(1);
            inputs(f, features, target, window, x);
            for (int i = 0; i < d; i++) {
              for (int j = 0; j < d; j++) {
                acc[i * d + j] += x[i] * x[j];
              }
              for (int h = 0; h < horizon; h++) {
                acc[d * d + i * horizon + h] += x[i] * y.get(h);
              }
            }
            acc[acc.length - 1]++;
          }
          return List.of(acc).iterator();
        })
        .reduce(LinearBaseline::add);
    if (sums[sums.length - 1] == 0) {
      throw new IllegalStateException("no training windows with known targets to fit the linear baseline on");
    }
    double[][] a = new double[d][d];
    double[][] b = new double[d][horizon];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        a[i][j] = sums[i * d + j] + (i == j && i < window ? RIDGE * sums[sums.length - 1] : 0);
      }
      for (int h = 0; h < horizon; h++) {
        b[i][h] = sums[d * d + i * horizon + h];
      }
    }
    return new LinearBaseline(solve(a, b), features, target, window);
  }

  /** The baseline's forecast of every step of every window: key, end_pos, horizon_step, linear_s. */
  Dataset<Row> predict(Dataset<Row> windows) {
    LinearBaseline model = this;
    return windows.sparkSession().createDataFrame(windows.select("key", "end_pos", "features").javaRDD()
        .flatMap(r -> {
          double[] x = new double[window + 1];
          inputs(r.getList(2), features, target, window, x);
          List<Row> out = new ArrayList<>();
          for (int h = 0; h < model.weights[0].length; h++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              s += x[i] * model.weights[i][h];
            }
            out.add(RowFactory.create(r.getString(0), r.getLong(1), h + 1, s));
          }
          return out.iterator();
        }), PREDICTIONS);
  }

  /** The window's target values, then 1 for the bias. */
  private static void inputs(List<Float> f, int features, int target, int window, double[] x) {
    for (int t = 0; t < window; t++) {
      x[t] = f.get(t * features + target);
    }
    x[window] = 1;
  }

  private static double[] add(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] + b[i];
    }
    return c;
  }

  /** Solves a x = b for every column of b (Gaussian elimination with partial pivoting). */
  static double[][] solve(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = a[i].clone();
      x[i] = b[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      t = x[col];
      x[col] = x[pivot];
      x[pivot] = t;
      if (Math.abs(a[col][col]) < 1e-300) {
        throw new IllegalStateException("the linear baseline's normal equations are singular");
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double factor = a[r][col] / a[col][col];
          if (factor != 0) {
            for (int c = col; c < n; c++) {
              a[r][c] -= factor * a[col][c];
            }
            for (int c = 0; c < m; c++) {
              x[r][c] -= factor * x[col][c];
            }
          }
        }
      }
    }
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < m; c++) {
        x[r][c] /= a[r][r];
      }
    }
    return x;
  }
}

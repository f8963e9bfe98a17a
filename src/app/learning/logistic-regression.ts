// L2-regularised logistic regression with an offset, fitted by TensorFlow.js (CPU kernels, Adam,
// full batch). The offset is the measured evidence's log odds: the model starts as exactly that
// evidence (intercept 0, offset weight 1, corrections 0) and the penalty pulls it back there, so a
// handful of labels can only recalibrate it and many labels can correct it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

let ready: Promise<void> | undefined;

/** TensorFlow.js on its pure-JavaScript CPU backend, quiet (no console banner). */
function tensorflow(): Promise<void> {
  ready ??= (async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return ready;
}

export interface LogisticFit {
  intercept: number;
  /** Weight of the offset (the evidence's log odds). */
  offsetWeight: number;
  weights: number[];
}

export interface LogisticOptions {
  /** L2 penalty per example on the corrections and on (offsetWeight − 1). */
  l2: number;
  steps: number;
  learningRate: number;
}

/**
 * Fits P(y = 1) = σ(intercept + offsetWeight · offset + weights · x). `features` is row-major,
 * `rows` × `columns`; labels are 0 or 1.
 */
export async function fitLogistic(
  features: Float32Array,
  offsets: Float32Array,
  labels: Float32Array,
  columns: number,
  options: LogisticOptions,
): Promise<LogisticFit> {
  await tensorflow();
  const rows = labels.length;
  const x = tf.tensor2d(features, [rows, columns]);
  const xTransposed = tf.transpose(x);
  const offset = tf.tensor2d(offsets, [rows, 1]);
  const y = tf.tensor2d(labels, [rows, 1]);
  const weights = tf.variable(tf.zeros([columns, 1]));
  const offsetWeight = tf.variable(tf.ones([1, 1]));
  const intercept = tf.variable(tf.zeros([1, 1]));
  const optimizer = tf.train.adam(options.learningRate);
  const penalty = options.l2 / Math.max(1, rows);
  try {
    for (let step = 0; step < options.steps; step += 1) {
      tf.tidy(() => {
        const predicted = tf.sigmoid(
          tf.add(tf.add(tf.matMul(x, weights), tf.mul(offset, offsetWeight)), intercept),
        );
        // The gradient of the mean log loss, written out: σ(z) − y times each input.
        const error = tf.sub(predicted, y);
        optimizer.applyGradients([
          {
            name: weights.name,
            tensor: tf.add(tf.div(tf.matMul(xTransposed, error), rows), tf.mul(weights, 2 * penalty)),
          },
          {
            name: offsetWeight.name,
            tensor: tf.add(
              tf.reshape(tf.mean(tf.mul(error, offset)), [1, 1]),
              tf.mul(tf.sub(offsetWeight, 1), 2 * penalty),
            ),
          },
          { name: intercept.name, tensor: tf.reshape(tf.mean(error), [1, 1]) },
        ]);
      });
    }
    return {
      intercept: intercept.dataSync()[0] as number,
      offsetWeight: offsetWeight.dataSync()[0] as number,
      weights: Array.from(weights.dataSync()),
    };
  } finally {
    optimizer.dispose();
    tf.dispose([x, xTransposed, offset, y, weights, offsetWeight, intercept]);
  }
}

import { describe, expect, it } from 'vitest';
import { fitLogistic } from './logistic-regression.ts';

/** A small deterministic generator, so the fit is the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('logistic regression with an offset (TensorFlow.js)', () => {
  it('recovers the corrections and the offset weight of data made from them', async () => {
    const random = lcg(7);
    const rows = 6_000;
    const columns = 3;
    const truth = { intercept: -0.5, offsetWeight: 0.6, weights: [1.5, -1, 0] };
    const features = new Float32Array(rows * columns);
    const offsets = new Float32Array(rows);
    const labels = new Float32Array(rows);
    for (let row = 0; row < rows; row += 1) {
      let logit = truth.intercept;
      for (let column = 0; column < columns; column += 1) {
        const value = random() < 0.3 ? 1 : 0;
        features[row * columns + column] = value;
        logit += value * (truth.weights[column] as number);
      }
      offsets[row] = random() * 8 - 4;
      logit += truth.offsetWeight * (offsets[row] as number);
      labels[row] = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    const fit = await fitLogistic(features, offsets, labels, columns, {
      l2: 0.1,
      steps: 600,
      learningRate: 0.05,
    });
    expect(fit.intercept).toBeCloseTo(truth.intercept, 0);
    expect(fit.offsetWeight).toBeGreaterThan(0.45);
    expect(fit.offsetWeight).toBeLessThan(0.75);
    expect(fit.weights[0]).toBeGreaterThan(1.1);
    expect(fit.weights[1]).toBeLessThan(-0.6);
    expect(Math.abs(fit.weights[2] as number)).toBeLessThan(0.25);
  });

  it('stays the evidence it starts from when the labels say nothing new (the penalty pulls it back)', async () => {
    const random = lcg(11);
    const rows = 400;
    const features = new Float32Array(rows);
    const offsets = new Float32Array(rows);
    const labels = new Float32Array(rows);
    for (let row = 0; row < rows; row += 1) {
      features[row] = random() < 0.5 ? 1 : 0;
      offsets[row] = random() * 6 - 3;
      labels[row] = random() < 1 / (1 + Math.exp(-(offsets[row] as number))) ? 1 : 0;
    }
    const fit = await fitLogistic(features, offsets, labels, 1, { l2: 50, steps: 300, learningRate: 0.05 });
    expect(fit.offsetWeight).toBeCloseTo(1, 0);
    expect(Math.abs(fit.weights[0] as number)).toBeLessThan(0.3);
  });
});

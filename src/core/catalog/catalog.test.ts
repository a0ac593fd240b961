import { describe, expect, it } from 'vitest';
import { describeModel, findModel, getModel, MODELS, SOURCES } from './index.js';
import { FACT_NAMES } from './types.js';

describe('the model catalog', () => {
  it('has a source for every fact of every model, and every source is described', () => {
    for (const model of MODELS) {
      for (const fact of FACT_NAMES) {
        const sources = model.sources[fact];
        expect(sources, `${model.id}.${fact}`).toBeDefined();
        expect(sources.length, `${model.id}.${fact}`).toBeGreaterThan(0);
        for (const id of sources) expect(SOURCES[id], `${model.id}.${fact}: ${id}`).toBeDefined();
      }
    }
  });

  it('holds the guide models and the field models the contract names', () => {
    for (const id of ['264', '275', '913', '955', '888', '909', '910', '912', '914', '916', '954', 'HC620']) {
      expect(findModel(id)?.id).toBe(id);
    }
    expect(() => getModel('999')).toThrow(/unknown model "999"/);
  });

  it('follows the guide for the models it names: 4-10 digit programming codes on the 264 and 275, 4-8 on the 955', () => {
    expect(getModel('264').programmingCode?.length).toEqual({ min: 4, max: 10 });
    expect(getModel('275').programmingCode?.length).toEqual({ min: 4, max: 10 });
    expect(getModel('955').programmingCode?.length).toEqual({ min: 4, max: 8 });
    expect(getModel('275').userCodeLength).toEqual({ min: 4, max: 10 });
    expect(getModel('264').programmingCode?.default).toBe('0000');
  });

  it('records where the guide and the field disagree', () => {
    expect(getModel('275').notes.join(' ')).toMatch(/field says 4-8/);
    expect(getModel('916').notes.join(' ')).toMatch(/guide says 4-10/);
  });

  it('gives 5-button pads two digits per button and 625 four-press codes', () => {
    for (const model of MODELS.filter((m) => m.keypad === '5-button')) {
      expect(model.buttons.map((b) => b.join('|'))).toEqual(['1|2', '3|4', '5|6', '7|8', '9|0']);
    }
  });

  it('describes each model in the shape of keyward models --json', () => {
    const d = describeModel(getModel('910'));
    expect(d).toMatchObject({ id: '910', keypad: '5-button', slots: 30, userCodeLength: { min: 4, max: 8 } });
    expect(d.sources.length).toBeGreaterThan(0);
  });
});

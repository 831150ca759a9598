import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { parseScenarios } from './run-ecosystem.js';

describe('run --impl ecosystem --scenarios', () => {
  it('`coexistence` selects the scenarios beside the codex binary, alone or with ecosystem scenario ids', () => {
    expect(parseScenarios('coexistence')).toEqual([]);
    expect(parseScenarios('chatgpt, coexistence')).toEqual(['chatgpt']);
    expect(parseScenarios(undefined)).toBeUndefined();
  });

  it('an unknown id is misuse that names coexistence among the choices', () => {
    expect(() => parseScenarios('nope')).toThrow(ConformanceInputError);
    expect(() => parseScenarios('nope')).toThrow(/coexistence \(scenarios\/blackbox\/coexistence\/\)/);
    expect(() => parseScenarios(',')).toThrow(/names no scenario/);
  });
});

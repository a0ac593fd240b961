import { MODELS } from '../../src/core/catalog/index.js';

/** The guide's four models first: they are the ones people are told how to program. */
const GUIDE = ['264', '275', '913', '955'];

export const MODEL_CHOICES = [
  ...GUIDE.map((id) => MODELS.find((m) => m.id === id)!).filter(Boolean),
  ...MODELS.filter((m) => !GUIDE.includes(m.id)),
];

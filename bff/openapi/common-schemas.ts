import { z } from 'zod';

/** Timestamps are ISO 8601 strings in UTC in every response. */
export const timestamp = z
  .string()
  .meta({ description: 'ISO 8601, UTC', example: '2026-11-25T12:00:00.000Z' });
export const nullableTimestamp = timestamp.nullable();
export const won = z.int().nonnegative().meta({ description: 'Korean won (integer)' });
export const id = z.int().positive();

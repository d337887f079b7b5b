import { Router } from 'express';
import type { BffContext } from '../context';

export function catalogueRoutes(_ctx: BffContext): Router {
  return Router();
}

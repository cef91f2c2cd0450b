// Live API loading (issue 3). Until it lands, a clear message instead of a stack trace.

import { UsageError } from '../errors.ts';
import type { LiveLoader } from './source.ts';

export const liveLoad: LiveLoader = () =>
  Promise.reject(new UsageError('reading a live cluster is not implemented yet: pass --snapshot FILE (see README)'));

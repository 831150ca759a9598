// Follows the protocol (no auth): the control for the broken drivers.
import { serve } from './base.mjs';
serve();

// zod compiles its parsers with `new Function` when it believes eval is allowed. Code evaluated in
// the extension's worker through the DevTools protocol believes so, but the extension's CSP then
// refuses the call; the extension's own bundle finds eval refused up front and parses without
// compiling. A bundle evaluated that way imports this module first (schemas pick the mode when built).
import { z } from 'zod';

z.config({ jitless: true });

/** The id helper lives beside the repositories that use it (src/store/ids.ts); services import it from here too. */
export { uuidv7 } from '../store/ids.js';

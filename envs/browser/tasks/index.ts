/**
 * The built-in task suite: 35 MiniWoB-style tasks (written for this project, one file each) and
 * the shop in GUI modality. `BUILTIN_TASKS` is a plain record by name; an env may be built with
 * another suite (tests do, with fault pages).
 * @module
 */
import { bookFlight } from './book-flight.js';
import { chooseDate } from './choose-date.js';
import { chooseList } from './choose-list.js';
import { clickButtonSequence } from './click-button-sequence.js';
import { clickButton } from './click-button.js';
import { clickCheckboxes } from './click-checkboxes.js';
import { clickCollapsible } from './click-collapsible.js';
import { clickDialog } from './click-dialog.js';
import { clickLink } from './click-link.js';
import { clickMenu } from './click-menu.js';
import { clickOption } from './click-option.js';
import { clickTab } from './click-tab.js';
import { clickWidget } from './click-widget.js';
import { copyPaste } from './copy-paste.js';
import { emailInboxDelete } from './email-inbox-delete.js';
import { emailInboxForward } from './email-inbox-forward.js';
import { emailInboxReply } from './email-inbox-reply.js';
import { emailInboxStar } from './email-inbox-star.js';
import { enterDate } from './enter-date.js';
import { enterPassword } from './enter-password.js';
import { enterText } from './enter-text.js';
import { focusText } from './focus-text.js';
import { formSequence } from './form-sequence.js';
import { guessNumber } from './guess-number.js';
import { loginUser } from './login-user.js';
import { multiLayouts } from './multi-layouts.js';
import { navigateTree } from './navigate-tree.js';
import { readTable } from './read-table.js';
import { searchEngine } from './search-engine.js';
import { shopTask } from './shop.js';
import { simpleArithmetic } from './simple-arithmetic.js';
import { socialMedia } from './social-media.js';
import { textTransform } from './text-transform.js';
import type { BrowserTask } from './types.js';
import { useAutocomplete } from './use-autocomplete.js';
import { useSlider } from './use-slider.js';
import { useSpinner } from './use-spinner.js';

/** The MiniWoB-style tasks, in suite order (split indices cycle in this order). */
export const MINIWOB_TASKS: readonly BrowserTask[] = [
  clickButton,
  clickButtonSequence,
  clickLink,
  clickTab,
  clickCheckboxes,
  clickOption,
  clickCollapsible,
  clickDialog,
  clickMenu,
  clickWidget,
  focusText,
  enterText,
  enterPassword,
  enterDate,
  loginUser,
  chooseList,
  chooseDate,
  useAutocomplete,
  useSlider,
  useSpinner,
  navigateTree,
  searchEngine,
  emailInboxForward,
  emailInboxReply,
  emailInboxDelete,
  emailInboxStar,
  bookFlight,
  socialMedia,
  copyPaste,
  simpleArithmetic,
  formSequence,
  multiLayouts,
  textTransform,
  guessNumber,
  readTable,
];

/** The shop in GUI modality (not in the default list: it needs the shop catalog). */
export const SHOP_TASK: BrowserTask = shopTask;

export const BUILTIN_TASKS: Readonly<Record<string, BrowserTask>> = Object.fromEntries([...MINIWOB_TASKS, SHOP_TASK].map((t) => [t.name, t]));

/** The tasks an env plays by default: the MiniWoB-style suite. */
export const DEFAULT_TASK_NAMES: readonly string[] = MINIWOB_TASKS.map((t) => t.name);

export type BrowserSuite = Readonly<Record<string, BrowserTask>>;
export type { BrowserTask } from './types.js';

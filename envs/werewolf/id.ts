/** The id werewolf-v1 is registered under. */
export const WEREWOLF_ENV_ID = 'werewolf-v1';

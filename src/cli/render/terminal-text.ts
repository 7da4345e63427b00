/**
 * Control characters that let text drive a terminal (ESC starts CSI cursor moves and OSC 52 clipboard writes;
 * C1 codes do the same in one byte). Removing them leaves any sequence inert: its remains print as plain text.
 * Tab and newline stay.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Text from the model or a server, made safe to show on a terminal. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '');
}

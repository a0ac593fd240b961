/**
 * The terminal keypad is drawn again only when what it shows has changed: a timer ticking ten
 * times a second would otherwise clear and repaint an unchanged screen, which flickers and
 * floods a slow terminal (or a screen reader following it).
 */
export function redrawOnChange(write: (text: string) => void): (screen: string) => boolean {
  let shown: string | null = null;
  return (screen) => {
    if (screen === shown) return false;
    shown = screen;
    write(`\x1b[H\x1b[2J${screen}`);
    return true;
  };
}

import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Colour only where a person is looking: a TTY, unless NO_COLOR; FORCE_COLOR forces it. */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  const env = process.env;
  const enabled =
    'FORCE_COLOR' in env ? env.FORCE_COLOR !== '0' : !('NO_COLOR' in env) && Boolean(stream.isTTY);
  return picocolors.createColors(enabled);
}

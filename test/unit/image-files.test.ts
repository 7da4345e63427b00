// `--image-out`'s file writer: a new name for every image, never over an existing file, nothing half-written left.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageExtension } from '../../src/client/generated-images.js';
import { imageStem, prepareImageDir, saveNewImageFile } from '../../src/store/image-files.js';
import { fileMode, tempDir } from '../support/temp.js';

describe('saveNewImageFile', () => {
  it('takes STEM.EXT, then STEM-2.EXT, STEM-3.EXT …; an existing file is left as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pic.png'), 'mine');
    const second = await saveNewImageFile(dir, 'pic', 'png', Buffer.from('one'));
    const third = await saveNewImageFile(dir, 'pic', 'png', Buffer.from('two'));
    expect([second, third]).toEqual([join(dir, 'pic-2.png'), join(dir, 'pic-3.png')]);
    expect(readFileSync(join(dir, 'pic.png'), 'utf8')).toBe('mine');
    expect(readFileSync(second, 'utf8')).toBe('one');
    expect(readFileSync(third, 'utf8')).toBe('two');
    expect(fileMode(third)).toBe(0o600);
    // No temp file stays behind.
    expect(readdirSync(dir).sort()).toEqual(['pic-2.png', 'pic-3.png', 'pic.png']);
  });

  it('a directory in the way of a name is skipped like a file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pic.png'));
    expect(await saveNewImageFile(dir, 'pic', 'png', Buffer.from('x'))).toBe(join(dir, 'pic-2.png'));
  });

  it('prepareImageDir refuses a file; imageStem sorts by UTC time; extensions are tame', async () => {
    const file = join(tempDir(), 'f');
    writeFileSync(file, '');
    await expect(prepareImageDir(file)).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(imageStem(new Date(Date.UTC(2026, 11, 5, 13, 45, 2)))).toBe('codex-image-20261205-134502');
    expect(['png', 'jpeg', 'WEBP', '../x', ''].map(imageExtension)).toEqual(['png', 'jpg', 'webp', 'img', 'img']);
  });
});

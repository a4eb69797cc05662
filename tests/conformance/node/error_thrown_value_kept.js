// The very value thrown, a map or a number, reaches catch through rejections and awaits.
async function failWithMap() {
  await null;
  throw { code: 7, why: 'bad input' };
}
async function main() {
  try {
    await failWithMap();
  } catch (e) {
    console.log('code', e.code, 'why', e.why);
  }
  try {
    await Promise.resolve(1).then(() => {
      throw 42;
    });
  } catch (e) {
    console.log('number', e, e + 1);
  }
}
main();

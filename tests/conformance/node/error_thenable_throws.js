// A thenable whose then throws, or calls reject, makes the await throw that value.
const broken = {
  then(resolve, reject) {
    throw 'then exploded';
  },
};
const refusing = {
  then(resolve, reject) {
    reject('then rejected');
    resolve('ignored');
  },
};
async function main() {
  try {
    await broken;
  } catch (e) {
    console.log('caught', e);
  }
  try {
    await refusing;
  } catch (e) {
    console.log('caught', e);
  }
  console.log('main end');
}
main();
console.log('sync');

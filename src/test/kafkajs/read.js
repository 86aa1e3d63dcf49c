// Reads topics from the beginning with KafkaJS and prints each message as one JSON line:
//   node read.js <bootstrap> <topic,topic,...> <count> <timeout ms>
// Exits 0 once <count> messages are read, 2 at the timeout, 3 on an error (printed on stderr). KafkaJS decodes only
// uncompressed and gzip batches by itself; any other codec needs a package, and without one it reads nothing.
const { Kafka, logLevel } = require('kafkajs');

const [broker, topics, count, timeoutMs] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'mphub-kafkajs-reader', brokers: [broker], logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId: `mphub-kafkajs-reader-${process.pid}-${Date.now()}` });
let read = 0;
let done = false;

async function finish(code) {
  if (done) return;
  done = true;
  clearTimeout(timer);
  // Leave the group politely, but never wait on it for long.
  await Promise.race([consumer.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
  process.exit(code);
}

const timer = setTimeout(() => finish(2), Number(timeoutMs));

(async () => {
  await consumer.connect();
  for (const topic of topics.split(',')) {
    await consumer.subscribe({ topic, fromBeginning: true });
  }
  consumer.on(consumer.events.CRASH, (e) => {
    console.error(`KafkaJS crashed: ${e.payload.error}`);
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const headers = {};
      for (const [name, value] of Object.entries(message.headers || {})) {
        headers[name] = value === undefined || value === null ? null : value.toString();
      }
      console.log(JSON.stringify({
        topic,
        key: message.key ? message.key.toString() : null,
        value: message.value ? message.value.toString() : null,
        headers,
      }));
      read += 1;
      // Not from inside the handler: disconnect waits for the handler to return.
      if (read >= Number(count)) setImmediate(() => finish(0));
    },
  });
})().catch((e) => {
  console.error(`KafkaJS failed: ${e}`);
  finish(3);
});

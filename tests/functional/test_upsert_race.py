"""Parallel writes of the same new flavor extra spec, or quota class limit, all succeed: the
transaction that loses the race to insert the row runs again (Store.transact retry_duplicate)
and updates it. On PostgreSQL and MariaDB the writes really overlap; SQLite serialises them."""
import threading

PARALLEL = 12


def in_parallel(calls):
    """Run the calls released together; their results in order."""
    start = threading.Barrier(len(calls), timeout=30)
    results = [None] * len(calls)

    def run(index):
        start.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_parallel_creates_of_one_extra_spec_all_succeed(admin):
    def create(value):
        return lambda: admin.post('/v2.1/flavors/1/os-extra_specs', {'extra_specs': {'hw:race': value}},
                                  status='*').status_int
    assert in_parallel([create(str(value)) for value in range(PARALLEL)]) == [200] * PARALLEL
    specs = admin.get('/v2.1/flavors/1/os-extra_specs').json['extra_specs']
    assert list(specs) == ['hw:race'] and specs['hw:race'] in {str(value) for value in range(PARALLEL)}


def test_parallel_updates_of_a_new_quota_class_all_succeed(admin):
    def update(value):
        return lambda: admin.put('/v2.1/os-quota-class-sets/race', {'quota_class_set': {'cores': value}},
                                 status='*').status_int
    assert in_parallel([update(value) for value in range(PARALLEL)]) == [200] * PARALLEL
    shown = admin.get('/v2.1/os-quota-class-sets/race').json['quota_class_set']
    assert shown['cores'] in range(PARALLEL)

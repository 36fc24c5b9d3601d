package expr

import "testing"

func BenchmarkParsePath(b *testing.B) {
	const s = "$.orders[?(@.total > 100 && @.status == 'open')].items[0]['sku-id']"
	for b.Loop() {
		if _, err := ParsePath(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseIntrinsic(b *testing.B) {
	const s = "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), $.id)"
	for b.Loop() {
		if _, err := ParseIntrinsic(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPathGet(b *testing.B) {
	doc := decode(b, evalDoc)
	p, err := ParsePath("$.jar[?(@.a >= 5)].a")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p.Get(doc)
	}
}
